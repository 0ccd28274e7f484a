package io.bulwark.chaos;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A distribution of added latency, sampled with a seeded generator: fixed, uniform, or log-normal
 * (a realistic long tail). Samples are capped at {@link #CAP} so that a wild draw cannot stall a run.
 */
public sealed interface Latency {

    /** The longest latency any sample may have. */
    Duration CAP = Duration.ofSeconds(60);

    /** No added latency. */
    Latency NONE = new Fixed(Duration.ZERO);

    /** Draws one latency. */
    Duration sample(RandomGenerator random);

    /** Returns e.g. {@code lognormal(median 300 ms, sigma 0.5)}. */
    String describe();

    /** Always {@code value}. */
    static Latency fixed(Duration value) {
        return new Fixed(value);
    }

    /** Uniform within {@code [min, max]}. */
    static Latency uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    /** Log-normal with the given median and shape {@code sigma} (about 0.3 narrow, 1.0 a heavy tail). */
    static Latency logNormal(Duration median, double sigma) {
        return new LogNormal(median, sigma);
    }

    /** Always the same latency. */
    record Fixed(Duration value) implements Latency {
        public Fixed {
            requireNonNegative(value, "value");
        }

        @Override
        public Duration sample(RandomGenerator random) {
            return cap(value);
        }

        @Override
        public String describe() {
            return value.toMillis() + " ms";
        }
    }

    /** Uniform between two bounds. */
    record Uniform(Duration min, Duration max) implements Latency {
        public Uniform {
            requireNonNegative(min, "min");
            requireNonNegative(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max (" + max + ") must not be below min (" + min + ")");
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            long span = max.toNanos() - min.toNanos();
            return cap(min.plusNanos(span == 0 ? 0 : random.nextLong(span + 1)));
        }

        @Override
        public String describe() {
            return "uniform(" + min.toMillis() + ".." + max.toMillis() + " ms)";
        }
    }

    /** Log-normal: {@code median * exp(sigma * N(0, 1))}. */
    record LogNormal(Duration median, double sigma) implements Latency {
        public LogNormal {
            requireNonNegative(median, "median");
            if (!(sigma >= 0 && sigma <= 5)) {
                throw new IllegalArgumentException("sigma must be within 0..5: " + sigma);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            double nanos = median.toNanos() * Math.exp(sigma * random.nextGaussian());
            return cap(Duration.ofNanos((long) Math.min(nanos, CAP.toNanos())));
        }

        @Override
        public String describe() {
            return "lognormal(median " + median.toMillis() + " ms, sigma " + sigma + ")";
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(CAP) > 0 ? CAP : d;
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
