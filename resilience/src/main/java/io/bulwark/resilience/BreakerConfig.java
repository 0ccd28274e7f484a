package io.bulwark.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a circuit breaker per provider model.
 *
 * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
 * @param slidingWindowSize    number of most recent calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed in the window before the rate is trusted
 * @param waitInOpenState      how long the breaker stays open before letting trial calls through
 * @param callsInHalfOpenState trial calls that decide whether to close again
 * @param countMalformed       whether a malformed answer counts as a failure: by default it does not, the breaker
 *                             judges the provider's health (time-outs, 5xx, connection failures), and a provider that
 *                             answers fast but now and then off-contract is the retry's business, not the breaker's
 */
public record BreakerConfig(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
                            Duration waitInOpenState, int callsInHalfOpenState, boolean countMalformed) {

    /**
     * A breaker is for a provider that is down, not for one that fails some calls and answers the rest (the
     * same-choice retry and the fallbacks handle those). A provider failing a share {@code p} of the counted calls
     * trips a window of {@code n} calls by chance about as often as {@code P(Binomial(n, p) >= threshold * n)}: seed
     * 003's flaky mix fails about 40% of counted calls (time-outs among time-outs and answers), which at 50% and a
     * window of 50 trips about one window in ten (the breaker stayed open, 99.7% degraded); at 70%, about one in
     * 100,000. A dead provider fails every call and still trips after 35 failed calls (about 0.4 s at 83 requests/s).
     */
    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 70f;
    /**
     * Large enough to tell a provider failing 12% of its calls from one failing 50%: with 20 calls (the
     * first default) chance clusters of time-outs (one slow request fails twice: the call and its retry)
     * tripped the breaker on a slow but mostly working LLM, and at 83 requests/s 63% of answers were
     * degraded (chaos scenario {@code latency-tail}); with 50, 3%.
     */
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 50;
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;
    public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);
    /** Enough trial calls that one slow call does not re-open the breaker for another wait. */
    public static final int DEFAULT_CALLS_IN_HALF_OPEN_STATE = 10;
    /**
     * Malformed answers do not count: with them, seed 003's flaky mix (20% hangs, 20% malformed, 30% success among
     * calls the breaker counts) failed 57% of counted calls and kept the breaker open (99.7% degraded), and the
     * {@code garbage} scenario (42% malformed, every answer fast) 96.7%.
     */
    public static final boolean DEFAULT_COUNT_MALFORMED = false;

    /** Settings with the default treatment of malformed answers ({@link #DEFAULT_COUNT_MALFORMED}). */
    public BreakerConfig(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
                         Duration waitInOpenState, int callsInHalfOpenState) {
        this(failureRateThreshold, slidingWindowSize, minimumNumberOfCalls, waitInOpenState, callsInHalfOpenState,
                DEFAULT_COUNT_MALFORMED);
    }

    public BreakerConfig {
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException("failureRateThreshold must be within (0, 100]: " + failureRateThreshold);
        }
        if (slidingWindowSize < 1) {
            throw new IllegalArgumentException("slidingWindowSize must be at least 1: " + slidingWindowSize);
        }
        if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
            throw new IllegalArgumentException(
                    "minimumNumberOfCalls must be within 1.." + slidingWindowSize + ": " + minimumNumberOfCalls);
        }
        Objects.requireNonNull(waitInOpenState, "waitInOpenState");
        if (waitInOpenState.isNegative() || waitInOpenState.isZero()) {
            throw new IllegalArgumentException("waitInOpenState must be positive: " + waitInOpenState);
        }
        if (callsInHalfOpenState < 1) {
            throw new IllegalArgumentException("callsInHalfOpenState must be at least 1: " + callsInHalfOpenState);
        }
    }

    /** Returns the default settings. */
    public static BreakerConfig defaults() {
        return new BreakerConfig(DEFAULT_FAILURE_RATE_THRESHOLD, DEFAULT_SLIDING_WINDOW_SIZE,
                DEFAULT_MINIMUM_NUMBER_OF_CALLS, DEFAULT_WAIT_IN_OPEN_STATE, DEFAULT_CALLS_IN_HALF_OPEN_STATE,
                DEFAULT_COUNT_MALFORMED);
    }
}
