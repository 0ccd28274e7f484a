package io.bulwark.sentiment.simulate;

import io.bulwark.costing.Price;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.platform.FunctionPrice;
import io.bulwark.costing.platform.GatewayPrice;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Measures a real OpenAI-compatible endpoint on a sample of labelled sentences ({@code simulate --llm-base-url}):
 * one call per sentence, no retries, never more calls than the request budget; the tokens the provider reports, the
 * latency seen, the answers against the sentences' labels; then the month at the scenario's volume with a 95%
 * confidence interval from the sample's spread (every request one call of this model, no cache).
 */
public final class EndpointMeasurement {

    /** z for a two-sided 95% interval. */
    static final double Z95 = 1.959964;

    /** One call and what came of it: {@code answer} null when it failed ({@code outcome} says how). */
    public record Call(String text, SentimentLabel label, SentimentLabel answer, TokenUsage usage, double latencyMs,
                       double costUsd, String outcome) {
    }

    /**
     * What the sample measured and the month scaled from it.
     *
     * @param monthlyUsd      mean cost per call × the scenario's requests per month, tokens only
     * @param monthlyLowUsd   the 95% interval of that month (normal approximation of the mean)
     * @param accuracyLow     the Wilson 95% interval of the accuracy over the answered calls
     * @param platformPer1000Usd the scenario's platform for 1,000 calls of the measured latencies
     */
    public record Result(String model, String baseUrl, int requestBudget, List<Call> calls, Map<String, Long> outcomes,
                         long inputTokens, long cachedInputTokens, long outputTokens, double sampleCostUsd,
                         double meanCostUsd, double monthlyUsd, double monthlyLowUsd, double monthlyHighUsd,
                         double accuracy, double accuracyLow, double accuracyHigh, long answered, double p50Ms,
                         double p95Ms, double platformPer1000Usd, long monthlyRequests) {
    }

    private EndpointMeasurement() {
    }

    /**
     * Calls {@code provider} once for each of up to {@code requestBudget} sentences drawn (with the scenario's seed,
     * no sentence twice) from {@code corpus}.
     *
     * @throws IllegalArgumentException if the first call finds no server (a connection refused or a time-out before
     *                                  any answer): the URL does not answer
     */
    public static Result measure(Scenario scenario, String baseUrl, SentimentProvider provider,
                                 List<LabelledQuery> corpus, int requestBudget, Duration timeout, PriceTable prices,
                                 Ticker ticker, Simulator.Progress progress) {
        Objects.requireNonNull(provider, "provider");
        if (requestBudget < 1) {
            throw new IllegalArgumentException("the request budget must be at least 1: " + requestBudget);
        }
        Price price = prices.require(provider.model());
        List<LabelledQuery> sample = new ArrayList<>(corpus);
        Collections.shuffle(sample, new Random(scenario.seed()));
        sample = sample.subList(0, Math.min(requestBudget, sample.size()));
        List<Call> calls = new ArrayList<>();
        Map<String, Long> outcomes = new TreeMap<>();
        for (int i = 0; i < sample.size(); i++) {
            LabelledQuery q = sample.get(i);
            long start = ticker.read();
            Call call;
            try {
                Sentiment s = provider.classify(q.text(), Deadline.after(timeout, ticker));
                double ms = (ticker.read() - start) / 1e6;
                TokenUsage u = s.usage();
                call = new Call(q.text(), q.label(), s.label(), u, ms,
                        price.cost(u.inputTokens(), u.cachedInputTokens(), u.outputTokens()), "answered");
            } catch (BoundaryFailure f) {
                double ms = (ticker.read() - start) / 1e6;
                if (i == 0 && (f instanceof Unavailable || f instanceof TimedOut)) {
                    throw new IllegalArgumentException("the endpoint " + baseUrl + " does not answer ("
                            + f.type().name().toLowerCase(Locale.ROOT) + ": " + f.getMessage() + "); check "
                            + "--llm-base-url (an OpenAI-compatible base URL such as https://api.openai.com/v1 or "
                            + "http://127.0.0.1:11434/v1) and that the server is up");
                }
                if (i == 0 && f instanceof io.bulwark.resilience.failure.AuthFailed) {
                    throw new IllegalArgumentException("the endpoint " + baseUrl + " refused the key (" + f.getMessage()
                            + "); set BULWARK_LLM_API_KEY (or OPENAI_API_KEY) to a key it accepts");
                }
                TokenUsage billed = f instanceof MalformedResponse m ? m.billed().map(b -> new TokenUsage(
                        (int) b.inputTokens(), (int) b.outputTokens(), (int) b.cachedInputTokens()))
                        .orElse(TokenUsage.NONE) : TokenUsage.NONE;
                call = new Call(q.text(), q.label(), null, billed, ms,
                        price.cost(billed.inputTokens(), billed.cachedInputTokens(), billed.outputTokens()),
                        f.type().name().toLowerCase(Locale.ROOT));
            }
            calls.add(call);
            outcomes.merge(call.outcome(), 1L, Long::sum);
            progress.update(provider.model(), 1, 1, i + 1, sample.size());
        }
        return summarise(scenario, baseUrl, provider.model(), requestBudget, calls, outcomes, prices);
    }

    static Result summarise(Scenario scenario, String baseUrl, String model, int budget, List<Call> calls,
                            Map<String, Long> outcomes, PriceTable prices) {
        int n = calls.size();
        double sum = 0;
        long in = 0;
        long cached = 0;
        long out = 0;
        long answered = 0;
        long right = 0;
        double[] latencies = new double[n];
        for (int i = 0; i < n; i++) {
            Call c = calls.get(i);
            sum += c.costUsd();
            in += c.usage().inputTokens();
            cached += c.usage().cachedInputTokens();
            out += c.usage().outputTokens();
            latencies[i] = c.latencyMs();
            if (c.answer() != null) {
                answered++;
                if (c.answer() == c.label()) {
                    right++;
                }
            }
        }
        double mean = sum / n;
        double var = 0;
        for (Call c : calls) {
            var += (c.costUsd() - mean) * (c.costUsd() - mean);
        }
        double sd = n > 1 ? Math.sqrt(var / (n - 1)) : 0;
        double half = Z95 * sd / Math.sqrt(n);
        long month = scenario.monthlyRequests();
        double accuracy = answered == 0 ? Double.NaN : right / (double) answered;
        double[] wilson = wilson(right, answered);
        Arrays.sort(latencies);
        Scenario.Platform p = scenario.platform();
        FunctionPrice f = prices.platforms().requireFunction(p.function());
        GatewayPrice g = prices.platforms().requireGateway(p.gateway());
        double platform = 0;
        for (double ms : latencies) {
            platform += f.cost(p.memoryMb(), ms + p.overheadMs()) + g.cost();
        }
        return new Result(model, baseUrl, budget, List.copyOf(calls), Map.copyOf(outcomes), in, cached, out, sum, mean,
                mean * month, Math.max(0, mean - half) * month, (mean + half) * month, accuracy, wilson[0], wilson[1],
                answered, Simulator.percentile(latencies, 0.5), Simulator.percentile(latencies, 0.95),
                platform / n * 1000, month);
    }

    /** The Wilson score interval (95%) of {@code successes} in {@code n}. */
    static double[] wilson(long successes, long n) {
        if (n == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        double p = successes / (double) n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
