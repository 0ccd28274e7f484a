package io.bulwark.models.digits;

import io.bulwark.resilience.failure.RequestRejected;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the inferences running at once: a call beyond {@code permits} waits for a free one up to {@code wait},
 * then is refused with a 503 {@code server_busy} rather than queueing without bound (a burst of postal trucks must
 * not turn into minutes of queue and memory). ONNX Runtime cannot be interrupted once a call runs, so the wait is
 * the only part of the deadline this can enforce.
 */
final class InferenceBulkhead {

    private final Semaphore permits;
    private final int size;
    private final Duration wait;

    InferenceBulkhead(int permits, Duration wait) {
        if (permits < 1) {
            throw new IllegalArgumentException("bulwark.digits.max-concurrent must be at least 1: " + permits);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("bulwark.digits.queue-wait must not be negative: " + wait);
        }
        this.permits = new Semaphore(permits, true);
        this.size = permits;
        this.wait = wait;
    }

    <T> T run(Supplier<T> inference) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new RequestRejected(503, "server_busy", null, size + " digit inferences are running and none "
                    + "finished within " + wait.toMillis() + " ms (bulwark.digits.max-concurrent, queue-wait): retry"
                    + " shortly");
        }
        try {
            return inference.get();
        } finally {
            permits.release();
        }
    }

    /** Permits free now, for metrics and tests. */
    int available() {
        return permits.availablePermits();
    }
}
