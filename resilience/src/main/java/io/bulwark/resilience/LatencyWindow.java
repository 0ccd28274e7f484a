package io.bulwark.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The latencies of a tier's last successful calls, read as a percentile. Thread-safe. */
final class LatencyWindow {

    private final long[] nanos;
    private final int minSamples;
    private int next;
    private int size;

    LatencyWindow(int window, int minSamples) {
        this.nanos = new long[window];
        this.minSamples = minSamples;
    }

    synchronized void add(long latencyNanos) {
        nanos[next] = latencyNanos;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
    }

    /** Returns the {@code p} percentile (nearest rank) once {@code minSamples} were added, else empty. */
    Optional<Duration> percentile(double p) {
        long[] sorted;
        synchronized (this) {
            if (size < minSamples) {
                return Optional.empty();
            }
            sorted = Arrays.copyOf(nanos, size);
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return Optional.of(Duration.ofNanos(sorted[Math.max(0, Math.min(rank, sorted.length - 1))]));
    }
}
