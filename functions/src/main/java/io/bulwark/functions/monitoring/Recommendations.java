package io.bulwark.functions.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Advice derived from the window, for the dashboard: each rule looks at one figure against a target (the seed's:
 * p95 under 500 ms, under $0.01 per 1,000 requests) and says what to change. Needs enough answers to speak.
 */
public final class Recommendations {

    /**
     * The figures advice is measured against.
     *
     * @param latencyP95Ms       p95 latency target of sentiment
     * @param costPer1000Usd     cost target per 1,000 sentiment answers
     * @param semanticHitRateMin below it, the semantic cache is said to earn little
     * @param strongShareMax     above it, too much traffic is said to go to the strong model
     * @param fallbackShareMax   above it, the LLM is said to be struggling
     * @param minAnswers         least sentiment answers in the window before any advice
     * @param semanticThreshold  the semantic cache's similarity threshold, or null when there is no semantic cache
     */
    public record Targets(double latencyP95Ms, double costPer1000Usd, double semanticHitRateMin, double strongShareMax,
                          double fallbackShareMax, int minAnswers, Double semanticThreshold) {

        public static Targets defaults(Double semanticThreshold) {
            return new Targets(500, 0.01, 0.05, 0.30, 0.10, 20, semanticThreshold);
        }
    }

    /** One piece of advice: {@code warning} when a target is missed, {@code info} otherwise. */
    public record Recommendation(String level, String text) {
    }

    private final Targets targets;

    public Recommendations(Targets targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /** Returns the advice for {@code s}: at least one line (why there is none, or that all is within targets). */
    public List<Recommendation> from(Summary s) {
        Summary.SentimentStats st = s.sentiment();
        List<Recommendation> out = new ArrayList<>();
        if (st.answers() < targets.minAnswers()) {
            out.add(new Recommendation("info", "Not enough traffic for advice yet: " + st.answers()
                    + " sentiment answers in the window, " + targets.minAnswers() + " needed."));
            return out;
        }
        st.breakers().forEach((model, state) -> {
            if (!BreakerStates.CLOSED.equals(state)) {
                out.add(warn("The circuit breaker of " + model + " is " + BreakerStates.spoken(state)
                        + ": its answers come from the local model. Check the provider's status and error logs."));
            }
        });
        double fallbackShare = 1.0 - share(st.fallbacks(), "none", st.answers());
        if (fallbackShare > targets.fallbackShareMax()) {
            out.add(warn(pct(fallbackShare) + " of answers needed a fallback" + mostCommon(st.failures())
                    + ": the LLM is struggling; check its latency and limits, or raise bulwark.llm.timeout if"
                    + " it is only slow."));
        }
        double p95 = s.function(Sample.SENTIMENT).latencyMs().p95();
        if (p95 > targets.latencyP95Ms()) {
            out.add(warn(String.format(Locale.ROOT, "p95 latency is %,.0f ms, above the %,.0f ms target: lower"
                    + " bulwark.llm.timeout so slow calls fall back sooner, or answer more from the caches.", p95,
                    targets.latencyP95Ms())));
        }
        double per1000 = st.cost().per1000RequestsUsd();
        if (per1000 > targets.costPer1000Usd()) {
            out.add(warn(String.format(Locale.ROOT, "Cost per 1,000 requests is $%.4f, above the $%.2f target"
                    + " (projected $%.2f a day): raise the cache hit rate or send more traffic to the local model.",
                    per1000, targets.costPer1000Usd(), st.cost().perDayUsd())));
        }
        double strong = share(st.tiers(), "llm-strong", st.answers());
        if (strong > targets.strongShareMax()) {
            out.add(warn(pct(strong) + " of traffic goes to the strong model: check the cost router's thresholds."));
        }
        if (targets.semanticThreshold() != null) {
            double semantic = st.cacheHitRate().semantic();
            if (semantic < targets.semanticHitRateMin()) {
                out.add(new Recommendation("info", "Semantic cache hit rate is " + pct(semantic) + ": consider"
                        + " lowering bulwark.cache.semantic.threshold (now " + targets.semanticThreshold() + ")"
                        + " if your traffic repeats itself in other words; if it does not, the cache costs an"
                        + " embedding per request for little."));
            }
        }
        if (out.isEmpty()) {
            out.add(new Recommendation("info", "All within targets: p95 " + Math.round(p95) + " ms, "
                    + String.format(Locale.ROOT, "$%.4f", per1000) + " per 1,000 requests, cache hit rate "
                    + pct(st.cacheHitRate().total()) + "."));
        }
        return out;
    }

    private static Recommendation warn(String text) {
        return new Recommendation("warning", text);
    }

    private static double share(Map<String, Integer> counts, String key, int total) {
        return total == 0 ? 0 : counts.getOrDefault(key, 0) / (double) total;
    }

    private static String mostCommon(Map<String, Integer> failures) {
        return failures.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> " (most failures: " + e.getKey() + ", " + e.getValue() + ")").orElse("");
    }

    private static String pct(double share) {
        double p = share * 100;
        return (p >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }
}
