package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;

import java.util.List;
import java.util.Map;

/**
 * What one strategy did with the workload, and its month extrapolated from the sample.
 *
 * @param costUsd         what the sample's tokens cost
 * @param tokenMonthlyUsd the sample's token cost per request × requests per month
 * @param platformMonthlyUsd the scenario's platform (function time at its memory, LLM waits included, requests and
 *                        gateway) for the month, from the sample's time in the function
 * @param platformOptions the same requests on the other platforms and settings, the scenario's first
 * @param meanInFunctionMs mean time a request spent in the function (the chain's latency plus the overhead)
 * @param accuracy        quality on labelled truth: share of the labelled requests whose answer is the dataset's
 *                        own label (the template's {@code uncertain} is never right)
 * @param accuracyByTier  that share among the labelled answers of each tier
 * @param labelled        requests with a known label (all, for the bundled corpus)
 * @param agreement       share of answers agreeing with the reference model's label for the same sentence
 * @param referenceAccuracy the reference model's own accuracy on the same labelled requests
 * @param sensitivity     accuracy on labelled truth under each column of {@link SimulationReport#sensitivity()}
 * @param routerDecisions the router's decisions by {@code tier|reason}
 * @param billedFailures  calls the provider billed that answered nothing useful (malformed with a token count),
 *                        charged in the ledger and in {@code costUsd}
 * @param cachedInputTokens input tokens the providers served from their prompt cache
 * @param batchedCalls    LLM calls sent through the provider's batch API (discounted, answered within the batch
 *                        turnaround, left out of p50/p95)
 */
public record StrategyResult(Scenario.Strategy strategy, int requests, long monthlyRequests, double costUsd,
                             double tokenMonthlyUsd, double platformMonthlyUsd, List<PlatformBill> platformOptions,
                             double meanInFunctionMs, Map<Tier, Long> answersByTier,
                             Map<Tier, Double> costByTier, long exactHits, long semanticHits, double p50Ms,
                             double p95Ms, double accuracy, Map<Tier, Double> accuracyByTier, long labelled,
                             double agreement, double referenceAccuracy, List<Double> sensitivity, long degraded,
                             Map<String, Long> fallbacks, Map<String, Long> routerDecisions, String chain,
                             long billedFailures, double billedFailuresUsd, long cachedInputTokens,
                             long batchedCalls) {

    /** Returns the month: tokens and platform. */
    public double monthlyUsd() {
        return tokenMonthlyUsd + platformMonthlyUsd;
    }

    /** Returns the cost of 1,000 requests: tokens and platform. */
    public double per1000Usd() {
        return (tokenMonthlyUsd + platformMonthlyUsd) / monthlyRequests() * 1000;
    }

    /** Returns the tokens' cost of 1,000 requests. */
    public double tokenPer1000Usd() {
        return tokenMonthlyUsd / monthlyRequests() * 1000;
    }

    /** Returns the platform's cost of 1,000 requests. */
    public double platformPer1000Usd() {
        return platformMonthlyUsd / monthlyRequests() * 1000;
    }

    /** Returns the share of answers from {@code tier}. */
    public double share(Tier tier) {
        return requests == 0 ? 0 : answersByTier.getOrDefault(tier, 0L) / (double) requests;
    }
}
