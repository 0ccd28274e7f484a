package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.FailureType;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one error boundary: requests, failures by type, answers by tier and by fallback.
 * Lock-free; read with {@link #snapshot()}.
 */
public final class BoundaryMetrics implements BoundaryListener {

    /** The fallback key under which answers of the first choice are counted. */
    public static final String NO_FALLBACK = "none";

    /** An immutable reading of the counters. */
    public record Snapshot(long requests, Map<FailureType, Long> errors, Map<Tier, Long> answersByTier,
                           Map<String, Long> answersByFallback, long degraded) {

        /** Returns the failures of all types. */
        public long totalErrors() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final LongAdder requests = new LongAdder();
    private final LongAdder degraded = new LongAdder();
    private final Map<FailureType, LongAdder> errors = new EnumMap<>(FailureType.class);
    private final Map<Tier, LongAdder> byTier = new EnumMap<>(Tier.class);
    private final Map<String, LongAdder> byFallback = new ConcurrentHashMap<>();

    public BoundaryMetrics() {
        for (FailureType type : FailureType.values()) {
            errors.put(type, new LongAdder());
        }
        for (Tier tier : Tier.values()) {
            byTier.put(tier, new LongAdder());
        }
    }

    @Override
    public void onRequest() {
        requests.increment();
    }

    @Override
    public void onFailure(String step, BoundaryFailure failure) {
        errors.get(failure.type()).increment();
    }

    @Override
    public void onOutcome(Outcome<?> outcome) {
        byTier.get(outcome.tier()).increment();
        String fallback = outcome.fallback() == null ? NO_FALLBACK : outcome.fallback();
        byFallback.computeIfAbsent(fallback, k -> new LongAdder()).increment();
        if (outcome.degraded()) {
            degraded.increment();
        }
    }

    /** Returns the requests so far. */
    public long requests() {
        return requests.sum();
    }

    /** Returns the failures of {@code type} so far. */
    public long errors(FailureType type) {
        return errors.get(type).sum();
    }

    /** Returns the answers from {@code tier} so far. */
    public long answers(Tier tier) {
        return byTier.get(tier).sum();
    }

    /** Returns the answers given by {@code fallback} ({@link #NO_FALLBACK} for the first choice) so far. */
    public long answers(String fallback) {
        LongAdder count = byFallback.get(fallback);
        return count == null ? 0 : count.sum();
    }

    /** Returns the current counts. */
    public Snapshot snapshot() {
        Map<FailureType, Long> e = new EnumMap<>(FailureType.class);
        errors.forEach((k, v) -> e.put(k, v.sum()));
        Map<Tier, Long> t = new EnumMap<>(Tier.class);
        byTier.forEach((k, v) -> t.put(k, v.sum()));
        Map<String, Long> f = new TreeMap<>();
        byFallback.forEach((k, v) -> f.put(k, v.sum()));
        return new Snapshot(requests.sum(), Map.copyOf(e), Map.copyOf(t), Map.copyOf(f), degraded.sum());
    }
}
