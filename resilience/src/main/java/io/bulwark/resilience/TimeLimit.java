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
 *
 * <p>{@link #decorateOnCallingThread} bounds a call that honours the {@link Deadline} it is given by itself (a
 * blocking socket whose connect and read time-outs come from the deadline) without a second thread: the call runs on
 * the caller's thread while few such calls run at once, which saves the hand-off to the executor and back (two thread
 * wake-ups per call, the largest part of the LLM path's latency at one connection: BENCHMARKS.md, "Side by side with
 * Portkey").
 *
 * <p>Which time-outs say something of the provider ({@link TimedOut#countsAgainstProvider()}, what a circuit breaker
 * around this limit counts): none when no time was left to call it (the call is not made); and, with
 * {@link #withFairBudget}, none of a call whose budget the request's earlier steps had cut below the fair budget — a
 * fresh runner's first requests, or a starved one's, spend their deadline before the call, and a breaker that counted
 * those would cut off a healthy provider.
 */
public final class TimeLimit {

    private final Duration timeout;
    private final Duration reserve;
    private final ExecutorService executor;
    private final Duration fairBudget;

    private TimeLimit(Duration timeout, Duration reserve, ExecutorService executor, Duration fairBudget) {
        this.timeout = timeout;
        this.reserve = reserve;
        this.executor = executor;
        this.fairBudget = fairBudget;
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
        return new TimeLimit(timeout, reserve, Objects.requireNonNull(executor, "executor"), Duration.ZERO);
    }

    /**
     * Returns this limit, whose time-outs count against the provider only when the call's budget was at least
     * {@code fairBudget} (capped at the timeout: a call given its whole timeout always had a fair trial).
     */
    public TimeLimit withFairBudget(Duration fairBudget) {
        Objects.requireNonNull(fairBudget, "fairBudget");
        if (fairBudget.isNegative()) {
            throw new IllegalArgumentException("fairBudget must not be negative: " + fairBudget);
        }
        return new TimeLimit(timeout, reserve, executor, fairBudget.compareTo(timeout) > 0 ? timeout : fairBudget);
    }

    /** The refusal when the deadline leaves no time for the call: it is not made, so it says nothing of the provider. */
    private static TimedOut noTimeLeft(String model) {
        return TimedOut.notCounting("no time left in the deadline for " + model, null);
    }

    /** {@code failure} as it leaves this limit: a time-out of a call whose budget was cut short does not count. */
    private BoundaryFailure judged(BoundaryFailure failure, Duration budget) {
        if (failure instanceof TimedOut timedOut && timedOut.countsAgainstProvider()
                && budget.compareTo(fairBudget) < 0) {
            return TimedOut.notCounting(timedOut.getMessage() + " (a budget of " + budget.toMillis()
                    + " ms, under the fair " + fairBudget.toMillis() + " ms: not counted against it)", timedOut);
        }
        return failure;
    }

    /** Returns {@code route} bounded by this time limit. */
    public <Q, V> Route<Q, V> decorate(Route<Q, V> route) {
        return Route.decorated(route, "TimeLimit[" + timeout.toMillis() + "ms]", (request, deadline) -> {
            Duration budget = deadline.budgetFor(timeout, reserve);
            if (budget.isZero()) {
                throw noTimeLeft(route.model());
            }
            Deadline own = Deadline.after(budget, deadline.ticker());
            Future<V> future = executor.submit(() -> route.call(request, own));
            try {
                return future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw judged(new TimedOut(route.model() + " did not answer within " + budget.toMillis() + " ms"),
                        budget);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new TimedOut("interrupted while waiting for " + route.model(), e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BoundaryFailure failure) {
                    throw judged(failure, budget);
                }
                throw new Unavailable(route.model() + " failed: " + cause.getClass().getSimpleName(), cause);
            }
        });
    }

    /**
     * Returns {@code route} bounded by this time limit, run on the calling thread while fewer than as many calls as
     * the machine has processors are running so; a call beyond that runs as {@link #decorate} runs it. See
     * {@link #decorateOnCallingThread(Route, int)}.
     */
    public <Q, V> Route<Q, V> decorateOnCallingThread(Route<Q, V> route) {
        return decorateOnCallingThread(route, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Returns {@code route} bounded by this time limit, run on the calling thread while fewer than {@code maxInline}
     * calls of the returned route are running so, else handed to the executor exactly as {@link #decorate} does.
     * Only for a route that gives up by itself when the deadline it is given expires, throwing a {@link TimedOut}
     * (or an exception the route maps to one): this limit cannot cancel a call on the calling thread. It hands the
     * route the same deadline as {@link #decorate} (the smaller of the timeout and what the request's deadline
     * leaves after the reserve), refuses at once when no time is left or the calling thread is interrupted, and maps
     * a failure that is not a {@link BoundaryFailure} to {@link Unavailable}, as {@link #decorate} does. Each call is
     * made once, on one thread or the other.
     *
     * <p>Why the bound: with one call at a time, the hand-off to a virtual thread and back is most of the call's
     * latency; with many at once, the executor's few carrier threads take many answered calls per wake-up, while
     * as many request threads blocked on their sockets cost one context switch each (fewer requests a second at 32
     * connections in the benchmark, BENCHMARKS.md "Side by side with Portkey").
     */
    public <Q, V> Route<Q, V> decorateOnCallingThread(Route<Q, V> route, int maxInline) {
        if (maxInline < 0) {
            throw new IllegalArgumentException("maxInline must not be negative: " + maxInline);
        }
        Route<Q, V> handedOff = decorate(route);
        java.util.concurrent.atomic.AtomicInteger inline = new java.util.concurrent.atomic.AtomicInteger();
        return Route.decorated(route, "TimeLimit[" + timeout.toMillis() + "ms]", (request, deadline) -> {
            if (inline.incrementAndGet() > maxInline) {
                inline.decrementAndGet();
                return handedOff.call(request, deadline);
            }
            try {
                Duration budget = deadline.budgetFor(timeout, reserve);
                if (budget.isZero()) {
                    throw noTimeLeft(route.model());
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new TimedOut("interrupted before calling " + route.model());
                }
                Deadline own = Deadline.after(budget, deadline.ticker());
                try {
                    return route.call(request, own);
                } catch (BoundaryFailure failure) {
                    throw judged(failure, budget);
                } catch (RuntimeException e) {
                    throw new Unavailable(route.model() + " failed: " + e.getClass().getSimpleName(), e);
                }
            } finally {
                inline.decrementAndGet();
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
