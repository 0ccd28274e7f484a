package io.bulwark.chaos.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of one run, as reported: answers by tier and fallback, degraded share, errors leaked,
 * latency percentiles, breaker transitions, cost, and the hypothesis' verdicts.
 *
 * @param leaked  responses that broke the contract: not well-formed, 5xx, or an escaped exception
 * @param correct share of answers equal to the true label
 */
public record Summary(RunResult run, int requests, Map<String, Long> byTier, Map<String, Long> byFallback,
                      double degradedShare, long leaked, double p50, double p95, double p99, double max,
                      int transitions, double costUsd, double correct, List<Check> checks) {

    /** Tiers in report order. */
    public static final List<String> TIERS = List.of("cache", "llm-cheap", "llm-strong", "local", "template");
    /** Fallbacks in report order. */
    public static final List<String> FALLBACKS = List.of("none", "rate_limit", "timeout", "local_model", "template");

    public Summary {
        Objects.requireNonNull(run, "run");
        // insertion order is report order: Map.copyOf would iterate in a different order in every JVM
        byTier = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTier));
        byFallback = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byFallback));
        checks = List.copyOf(checks);
    }

    /** Computes the figures of {@code run} and checks the hypothesis. */
    public static Summary of(RunResult run) {
        List<Observation> obs = run.observations();
        Map<String, Long> tiers = new LinkedHashMap<>();
        Map<String, Long> fallbacks = new LinkedHashMap<>();
        TIERS.forEach(t -> tiers.put(t, 0L));
        FALLBACKS.forEach(f -> fallbacks.put(f, 0L));
        long degraded = 0;
        long leaked = 0;
        long correct = 0;
        double cost = 0;
        for (Observation o : obs) {
            if (!o.wellFormed()) {
                leaked++;
                continue;
            }
            tiers.merge(o.tier(), 1L, Long::sum);
            fallbacks.merge(o.fallback() == null ? "none" : o.fallback(), 1L, Long::sum);
            degraded += o.degraded() ? 1 : 0;
            correct += o.correct() ? 1 : 0;
            cost += o.costUsd();
        }
        Percentiles p = Percentiles.of(obs.stream().mapToDouble(Observation::latencyMs).toArray());
        int n = obs.size();
        return new Summary(run, n, tiers, fallbacks, n == 0 ? 0 : (double) degraded / n, leaked, p.at(0.5),
                p.at(0.95), p.at(0.99), p.max(), run.breakerEvents().size(), cost, n == 0 ? 0 : (double) correct / n,
                Hypothesis.check(run));
    }

    /** Returns true if every applicable clause of the hypothesis held. */
    public boolean holds() {
        return Hypothesis.holds(checks);
    }

    /** Returns the scenario's name. */
    public String name() {
        return run.experiment().scenario().name();
    }
}
