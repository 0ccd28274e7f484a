package io.bulwark.functions.monitoring;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link Monitor}: how far back summaries look, and how the history behind the charts is cut.
 *
 * @param window     the sliding window of summaries and alerts (samples older than this are dropped)
 * @param maxSamples the most samples the window keeps (the oldest go first), as the seed's {@code window_size}
 * @param bucket     the width of one point of the time series
 * @param buckets    how many points the time series keeps (history = bucket × buckets)
 */
public record MonitorSettings(Duration window, int maxSamples, Duration bucket, int buckets) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_SAMPLES = 100_000;
    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
    public static final int DEFAULT_BUCKETS = 360;

    public MonitorSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(bucket, "bucket");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("the window must be at least 1 ms: " + window);
        }
        if (bucket.toMillis() < 1) {
            throw new IllegalArgumentException("a bucket must be at least 1 ms: " + bucket);
        }
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be at least 1: " + maxSamples);
        }
        if (buckets < 2) {
            throw new IllegalArgumentException("buckets must be at least 2: " + buckets);
        }
    }

    /** Returns the defaults: a 5-minute window of at most 100,000 samples, 10-second points for an hour. */
    public static MonitorSettings defaults() {
        return new MonitorSettings(DEFAULT_WINDOW, DEFAULT_MAX_SAMPLES, DEFAULT_BUCKET, DEFAULT_BUCKETS);
    }
}
