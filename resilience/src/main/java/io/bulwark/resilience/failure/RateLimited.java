package io.bulwark.resilience.failure;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure meaning the provider refused the call because of a rate limit, with the wait it asked
 * for ({@code Retry-After} or {@code retry-after-ms}) when it gave one.
 */
public final class RateLimited extends BoundaryFailure {

    private final Duration retryAfter;

    public RateLimited(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    public RateLimited(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** Returns the wait the provider asked for, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public FailureType type() {
        return FailureType.RATE_LIMITED;
    }

    @Override
    public boolean retriable() {
        return true;
    }

    /** A rate limit says the provider is healthy but busy: it must not open the circuit breaker. */
    @Override
    public boolean countsAgainstProvider() {
        return false;
    }
}
