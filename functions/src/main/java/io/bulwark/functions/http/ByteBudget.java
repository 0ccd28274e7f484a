package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A number of bytes shared by the requests in flight: a semaphore of bytes. A request takes its share through a
 * {@link Lease} as its decoded body grows and gives all of it back when the lease is closed; a share not to be had
 * within the wait is a 503.
 */
final class ByteBudget {

    private final Semaphore bytes;
    private final Duration wait;

    ByteBudget(int total, Duration wait) {
        if (total <= 0) {
            throw new IllegalArgumentException("the budget must be positive: " + total);
        }
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("the wait must not be negative: " + wait);
        }
        // Fair: a large body waiting is not overtaken for ever by a stream of small ones.
        this.bytes = new Semaphore(total, true);
        this.wait = wait;
    }

    int available() {
        return bytes.availablePermits();
    }

    Lease lease() {
        return new Lease();
    }

    /** One request's share; not thread-safe (a request is decoded on one thread). */
    final class Lease implements AutoCloseable {

        private int held;

        private Lease() {
        }

        /** Takes {@code n} more bytes, waiting up to the budget's wait; else a 503. */
        void take(int n) {
            boolean taken;
            try {
                taken = bytes.tryAcquire(n, wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                taken = false;
            }
            if (!taken) {
                throw new RequestRejected(503, "server_busy", "body", "too many large bodies are being "
                        + "decompressed right now; try again shortly");
            }
            held += n;
        }

        /** Gives back {@code n} of the bytes held. */
        void giveBack(int n) {
            held -= n;
            bytes.release(n);
        }

        int held() {
            return held;
        }

        /** Gives back everything held; a second call gives back nothing. */
        @Override
        public void close() {
            if (held > 0) {
                bytes.release(held);
                held = 0;
            }
        }
    }
}
