package io.bulwark.functions.monitoring;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What an alert rule watches, read off a {@link Summary}. Each metric also says how many requests its value
 * rests on, so a rule can wait for enough of them.
 */
public enum AlertMetric {
    /** The 95th percentile latency of the rule's function, in ms. */
    LATENCY_P95_MS,
    /** The 99th percentile latency of the rule's function, in ms. */
    LATENCY_P99_MS,
    /** Share of the function's requests that failed (5xx, or a sentiment answer from a fallback). */
    ERROR_RATE,
    /** Share of sentiment answers of lesser quality (local or template fallback). */
    DEGRADED_RATE,
    /** Mean cost of one sentiment answer, in US dollars. */
    COST_PER_REQUEST_USD,
    /** 1 while any LLM's circuit breaker is open or half-open, else 0. */
    BREAKER_OPEN,
    /** Share of sentiment answers from either cache. */
    CACHE_HIT_RATE,
    /** The window's cache hit rate divided by the hit rate before the window (no value without a baseline). */
    CACHE_HIT_RATE_VS_BASELINE,
    /** Appends to the prediction log that failed in the window (any function's). */
    PREDICTION_LOG_FAILURES,
    /**
     * Features of the serving classifier version that drifted (GET /drift); no value while its drift window is below
     * its minimum or it has no training profile. Rests on the drift window's inputs, not the monitor's window.
     */
    DRIFTED_FEATURES,
    /**
     * The serving classifier version's held-out accuracy minus its live accuracy on feedback labels (GET /accuracy); no
     * value without both. Rests on the feedback labels, not the monitor's window. For the function {@code digits}, the
     * promoted digit version's (GET /accuracy?model=digits).
     */
    ACCURACY_DROP,
    /** 1 while the fleet's shared state (Redis) does not answer and requests decide from in-process state, else 0. */
    SHARED_STATE_UNAVAILABLE;

    /** The function whose rules read the digit recogniser's figures ({@link #ACCURACY_DROP}). */
    static final String DIGITS = "digits";

    /** Returns the property spelling, e.g. {@code latency_p95_ms}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code latency_p95_ms}, {@code latency-p95-ms} or {@code LATENCY_P95_MS}. */
    public static AlertMetric parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown alert metric '" + text + "'; known: "
                    + java.util.Arrays.stream(values()).map(AlertMetric::code).toList(), e);
        }
    }

    /** Returns the value in {@code s} for {@code function}, or empty when there is none. */
    OptionalDouble value(Summary s, String function) {
        Summary.SentimentStats st = s.sentiment();
        return switch (this) {
            case LATENCY_P95_MS -> OptionalDouble.of(s.function(function).latencyMs().p95());
            case LATENCY_P99_MS -> OptionalDouble.of(s.function(function).latencyMs().p99());
            case ERROR_RATE -> OptionalDouble.of(s.function(function).errorRate());
            case DEGRADED_RATE -> OptionalDouble.of(st.degradedRate());
            case COST_PER_REQUEST_USD -> OptionalDouble.of(st.cost().perRequestUsd().mean());
            case BREAKER_OPEN -> OptionalDouble.of(BreakerStates.anyNotClosed(st.breakers()) ? 1 : 0);
            case CACHE_HIT_RATE -> OptionalDouble.of(st.cacheHitRate().total());
            case CACHE_HIT_RATE_VS_BASELINE -> st.cacheHitRate().baseline() == null ? OptionalDouble.empty()
                    : OptionalDouble.of(st.cacheHitRate().total() / st.cacheHitRate().baseline());
            case PREDICTION_LOG_FAILURES -> OptionalDouble.of(s.predictionLog().failures());
            case DRIFTED_FEATURES -> s.classifier().hasVerdict()
                    ? OptionalDouble.of(s.classifier().drifted().size()) : OptionalDouble.empty();
            case ACCURACY_DROP -> {
                Double drop = DIGITS.equals(function) ? s.digits().accuracyDrop() : s.classifier().accuracyDrop();
                yield drop == null ? OptionalDouble.empty() : OptionalDouble.of(drop);
            }
            case SHARED_STATE_UNAVAILABLE -> OptionalDouble.of(s.sharedState().available() ? 0 : 1);
        };
    }

    /**
     * Returns what the value is made of, for people, or null when the value says it all: for {@link #BREAKER_OPEN},
     * the breakers not closed ({@code gpt-4o open}).
     */
    String detail(Summary s, String function) {
        return switch (this) {
            case BREAKER_OPEN -> {
                String open = BreakerStates.notClosed(s.sentiment().breakers());
                yield open.isEmpty() ? null : open;
            }
            case DRIFTED_FEATURES -> s.classifier().drifted().isEmpty() ? null
                    : s.classifier().version() + ": " + String.join(", ", s.classifier().drifted());
            case LATENCY_P95_MS, LATENCY_P99_MS, ERROR_RATE, DEGRADED_RATE, COST_PER_REQUEST_USD, CACHE_HIT_RATE,
                 CACHE_HIT_RATE_VS_BASELINE, PREDICTION_LOG_FAILURES, SHARED_STATE_UNAVAILABLE -> null;
            case ACCURACY_DROP -> DIGITS.equals(function) ? "digits " + s.digits().version()
                    : s.classifier().version();
        };
    }

    /** Returns how many requests the value rests on; the breakers' states and log failures rest on no count. */
    int requests(Summary s, String function) {
        return switch (this) {
            case LATENCY_P95_MS, LATENCY_P99_MS, ERROR_RATE -> s.function(function).requests();
            case BREAKER_OPEN, PREDICTION_LOG_FAILURES, SHARED_STATE_UNAVAILABLE -> Integer.MAX_VALUE;
            case DRIFTED_FEATURES -> s.classifier().driftWindow();
            case ACCURACY_DROP -> DIGITS.equals(function) ? s.digits().feedback() : s.classifier().feedback();
            default -> s.sentiment().answers();
        };
    }
}
