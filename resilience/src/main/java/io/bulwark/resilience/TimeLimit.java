package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A policy that bounds a call by the smaller of its own timeout and what the request's deadline
 * leaves after a reserve kept for the fallbacks. A call that overruns is cancelled (interrupted)
 * and reported as {@link TimedOut}; the caller never waits for it.
 */
public final class TimeLimit {

    private final Duration timeout;
    private final Duration reserve;
    private final ExecutorService executor;

    private TimeLimit(Duration timeout, Duration reserve, ExecutorService executor) {
        this.timeout = timeout;
        this.reserve = reserve;
        this.executor = executor;
    }

    /**
     * Returns a time limit of {@code timeout}, keeping {@code reserve} of the deadline for later steps,
     * running calls on {@code executor} (virtual threads are the natural choice).
     */
    public static TimeLimit of(Duration timeout, Duration reserve, ExecutorService executor) {
        requirePositive(timeout, "timeout");
        Objects.requireNonNull(reserve, "reserve");
        if (reserve.isNegative()) {
            throw new IllegalArgumentException("reserve must not be negative: " + reserve);
        }
        return new TimeLimit(timeout, reserve, Objects.requireNonNull(executor, "executor"));
    }

    /** Returns {@code route} bounded by this time limit. */
    public <Q, V> Route<Q, V> decorate(Route<Q, V> route) {
        return Route.decorated(route, "TimeLimit[" + timeout.toMillis() + "ms]", (request, deadline) -> {
            Duration budget = deadline.budgetFor(timeout, reserve);
            if (budget.isZero()) {
                throw new TimedOut("no time left in the deadline for " + route.model());
            }
            Deadline own = Deadline.after(budget, deadline.ticker());
            Future<V> future = executor.submit(() -> route.call(request, own));
            try {
                return future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new TimedOut(route.model() + " did not answer within " + budget.toMillis() + " ms");
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new TimedOut("interrupted while waiting for " + route.model(), e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BoundaryFailure failure) {
                    throw failure;
                }
                throw new Unavailable(route.model() + " failed: " + cause.getClass().getSimpleName(), cause);
            }
        });
    }

    /** Returns the timeout of this limit. */
    public Duration timeout() {
        return timeout;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
