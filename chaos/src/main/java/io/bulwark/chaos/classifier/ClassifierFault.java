package io.bulwark.chaos.classifier;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault put into a classifier (the model side of the boundary, as {@link io.bulwark.chaos.Fault} is the LLM
 * side). Each is applied for real by the runner: files in a real registry are removed or overwritten, predictions
 * are really slowed, clients really arrive together. Every use is a {@code switch} the compiler checks.
 */
public sealed interface ClassifierFault {

    /** Returns a short description for the report. */
    String describe();

    /** Every prediction of the promoted version takes {@code delay} longer. */
    record SlowInference(Duration delay) implements ClassifierFault {
        public SlowInference {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("delay must be positive: " + delay);
            }
        }

        @Override
        public String describe() {
            return "promoted version's predictions slowed by " + delay.toMillis() + " ms";
        }
    }

    /** The promoted version's model file is missing (a half-copied version directory). */
    record FailsToLoad() implements ClassifierFault {
        @Override
        public String describe() {
            return "promoted version's model file removed";
        }
    }

    /** The promoted version's model file holds {@code bytes} random bytes instead of a model (a bad disk). */
    record CorruptVersion(int bytes) implements ClassifierFault {
        public CorruptVersion {
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes must be positive: " + bytes);
            }
        }

        @Override
        public String describe() {
            return "promoted version's model file overwritten with " + bytes + " random bytes";
        }
    }

    /**
     * {@code clients} clients send at once, with no pause, while each prediction takes {@code hold} longer (so the
     * bulkhead fills as a slow-ish model under a burst would fill it).
     */
    record Burst(int clients, Duration hold) implements ClassifierFault {
        public Burst {
            if (clients < 2) {
                throw new IllegalArgumentException("a burst has at least 2 clients: " + clients);
            }
            Objects.requireNonNull(hold, "hold");
        }

        @Override
        public String describe() {
            return clients + " clients at once, each prediction held " + hold.toMillis() + " ms";
        }
    }
}
