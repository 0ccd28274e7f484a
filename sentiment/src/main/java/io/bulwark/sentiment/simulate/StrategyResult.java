package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;

import java.util.Map;

/**
 * What one strategy did with the workload, and its month extrapolated from the sample.
 *
 * @param costUsd         what the sample cost
 * @param monthlyUsd      the sample's cost per request × requests per month
 * @param per1000Usd      cost of 1,000 requests
 * @param quality         share of answers agreeing with the reference model's label for the same sentence
 * @param qualityByTier   that share among the answers of each tier
 * @param routerDecisions the router's decisions by {@code tier|reason}
 */
public record StrategyResult(Scenario.Strategy strategy, int requests, double costUsd,
                             double monthlyUsd, double per1000Usd, Map<Tier, Long> answersByTier,
                             Map<Tier, Double> costByTier, long exactHits, long semanticHits, double p50Ms,
                             double p95Ms, double quality, Map<Tier, Double> qualityByTier, long degraded,
                             Map<String, Long> fallbacks, Map<String, Long> routerDecisions, String chain) {

    /** Returns the share of answers from {@code tier}. */
    public double share(Tier tier) {
        return requests == 0 ? 0 : answersByTier.getOrDefault(tier, 0L) / (double) requests;
    }
}
