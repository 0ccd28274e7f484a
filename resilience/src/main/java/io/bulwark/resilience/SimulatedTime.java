package io.bulwark.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when told: a ticker, a wall clock and a sleeper that moves time on instead of
 * waiting, so that tests control every deadline, breaker wait and expiry, chaos experiments and cost
 * simulations run an hour or a month of traffic in seconds, and the same seed gives the same numbers.
 * Unlike a real ticker it may be set back, to the next request's arrival ({@link #arrive}). Calls that a
 * time limit would run on another thread run on the caller's ({@link #callExecutor()}): nothing can block
 * in simulated time, and a real-time wait on another thread would make results depend on scheduling.
 */
public final class SimulatedTime implements Ticker, Sleeper {

    /** The wall-clock time at which simulated time starts unless told otherwise. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant epoch;
    private final AtomicLong nanos = new AtomicLong();

    /** Time that starts at {@link #EPOCH}. */
    public SimulatedTime() {
        this(EPOCH);
    }

    /** Time that starts at {@code epoch}. */
    public SimulatedTime(Instant epoch) {
        this.epoch = java.util.Objects.requireNonNull(epoch, "epoch");
    }

    @Override
    public long read() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    /** Moves time forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** Moves time forward to {@code sinceStart} after the epoch, if it is not there yet. */
    public void advanceTo(Duration sinceStart) {
        nanos.accumulateAndGet(sinceStart.toNanos(), Math::max);
    }

    /**
     * Sets the time to a request's arrival, {@code target} nanoseconds after the start: back, if the
     * previous request was still running then. Requests thus overlap as in open-loop traffic (clients do
     * not wait for each other), while their effects on shared state (breaker, cache) apply in arrival
     * order. Within one request time only moves forward.
     */
    public void arrive(long target) {
        if (target < 0) {
            throw new IllegalArgumentException("arrival before the start: " + target);
        }
        nanos.set(target);
    }

    /** Returns a wall clock reading this time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return epoch.plusNanos(nanos.get());
            }
        };
    }

    /** Returns an executor that runs each task at once on the calling thread. */
    public static ExecutorService callExecutor() {
        return new CallerRuns();
    }

    private static final class CallerRuns extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
            }
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
