package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.RateLimited;

import java.time.Duration;
import java.util.Objects;

/**
 * Waits as long as a rate-limited provider asked ({@code Retry-After}) and tries the first choice
 * once more, but only when the wait and {@code minimumCall} still fit in the deadline before the
 * reserve; otherwise it passes the failure on at once, without waiting.
 */
public final class RateLimitFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = "rate_limit";

    private final Sleeper sleeper;
    private final Duration minimumCall;
    private final Duration reserve;

    /**
     * @param sleeper     how to wait
     * @param minimumCall the least time worth giving the retried call
     * @param reserve     time kept for the steps after this one
     */
    public RateLimitFallback(Sleeper sleeper, Duration minimumCall, Duration reserve) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.minimumCall = Objects.requireNonNull(minimumCall, "minimumCall");
        this.reserve = Objects.requireNonNull(reserve, "reserve");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(BoundaryFailure failure) {
        return failure instanceof RateLimited limited && limited.retryAfter().isPresent();
    }

    @Override
    public Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline) {
        Duration wait = ((RateLimited) failure).retryAfter().orElseThrow();
        if (wait.plus(minimumCall).plus(reserve).compareTo(deadline.remaining()) > 0) {
            throw failure;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
        Outcome<V> o = primary.answer(request, deadline);
        return new Outcome<>(o.value(), o.tier(), o.model(), NAME, false);
    }

    @Override
    public String describe() {
        return "RateLimitFallback(wait Retry-After if it leaves " + minimumCall.toMillis()
                + " ms + " + reserve.toMillis() + " ms reserve, then retry the first choice once)";
    }
}
