package io.bulwark.resilience;

import io.bulwark.resilience.failure.RequestRejected;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A bound on the calls of one kind running at once (model inferences): a call beyond {@code permits} waits for a free
 * place up to {@code wait} (or what its deadline leaves, if less), then is refused with a 503 {@code server_busy}
 * (which the edge answers with {@code Retry-After}) rather than queueing without bound: a burst must not turn into
 * minutes of queue and memory. The place is held while the call really runs: a call its caller stopped waiting for
 * (a time limit) keeps its place until it ends, so abandoned work is bounded too. Fair (first come, first served);
 * thread-safe.
 */
public final class Bulkhead {

    private final Semaphore permits;
    private final int size;
    private final Duration wait;
    private final String what;
    private final String settings;

    private Bulkhead(int permits, Duration wait, String what, String settings) {
        this.permits = new Semaphore(permits, true);
        this.size = permits;
        this.wait = wait;
        this.what = what;
        this.settings = settings;
    }

    /**
     * Returns a bulkhead of {@code permits} places, a call waiting at most {@code wait} for one.
     *
     * @param what     what runs in it, plural, for the refusal (e.g. {@code digit inferences})
     * @param settings the properties that size it, named in the refusal and in a configuration error
     *                 (e.g. {@code bulwark.digits.max-concurrent, queue-wait})
     * @throws IllegalArgumentException for fewer than one permit or a negative wait
     */
    public static Bulkhead of(int permits, Duration wait, String what, String settings) {
        Objects.requireNonNull(wait, "wait");
        if (permits < 1) {
            throw new IllegalArgumentException(settings + ": at least 1 call must run at once, not " + permits);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException(settings + ": the wait must not be negative: " + wait);
        }
        return new Bulkhead(permits, wait, Objects.requireNonNull(what, "what"), Objects.requireNonNull(settings,
                "settings"));
    }

    /** Runs {@code call} in a place, waiting at most the bulkhead's wait for one. */
    public <T> T run(Supplier<T> call) {
        try (Permit p = acquire(null)) {
            return call.get();
        }
    }

    /**
     * Takes a place, waiting at most the bulkhead's wait and no longer than {@code deadline} leaves (null: no
     * deadline). The permit is released by {@link Permit#close()} (once; later calls do nothing), possibly on another
     * thread: the one that runs the call.
     *
     * @throws RequestRejected 503 {@code server_busy} when no place frees in time
     */
    public Permit acquire(Deadline deadline) {
        Duration w = deadline == null || deadline.remaining().compareTo(wait) >= 0 ? wait : deadline.remaining();
        boolean acquired;
        try {
            acquired = permits.tryAcquire(w.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new RequestRejected(503, "server_busy", null, size + " " + what + " are running and none finished"
                    + " within " + w.toMillis() + " ms (" + settings + "): retry shortly");
        }
        return new Permit();
    }

    /**
     * Takes a place only if one is free now, without waiting: for work that must never queue ahead of the calls the
     * bulkhead is for (a shadow prediction). Empty when every place is taken.
     */
    public java.util.Optional<Permit> tryAcquire() {
        boolean acquired;
        try {
            // a zero timeout keeps the fairness a plain tryAcquire() would break: a waiting call goes first
            acquired = permits.tryAcquire(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        return acquired ? java.util.Optional.of(new Permit()) : java.util.Optional.empty();
    }

    /** A place taken in the bulkhead. */
    public final class Permit implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        /** Frees the place (the first call only). */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }

    /** Returns the places free now, for metrics and tests. */
    public int available() {
        return permits.availablePermits();
    }

    /** Returns the number of places. */
    public int size() {
        return size;
    }

    /** Returns how long a call waits for a place at most. */
    public Duration waitLimit() {
        return wait;
    }
}
