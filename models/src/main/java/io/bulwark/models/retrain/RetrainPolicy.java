package io.bulwark.models.retrain;

import java.time.Duration;
import java.util.Objects;

/**
 * When the classifier trains a challenger on its training data plus the labelled feedback, on its own: off by
 * default. A challenger is trained only with at least {@code minNewLabels} feedback labels since the last one (without
 * new data a retrain learns nothing new) and {@code cooldown} after it, when any enabled trigger holds; it is promoted
 * only under the promotion rule, measured on the same held-out rows as the champion.
 *
 * @param enabled        the policy runs at all
 * @param onDrift        the serving version's inputs drifted (GET /drift)
 * @param onAccuracyDrop its live accuracy fell below its held-out accuracy by the margin (GET /accuracy)
 * @param everyFeedback  every this many new feedback labels; 0: never on count alone
 * @param schedule       this long after the last retrain (or start-up); null: never on time alone
 * @param minNewLabels   new feedback labels a retrain needs, whatever the trigger
 * @param cooldown       the least time between two retrains
 */
public record RetrainPolicy(boolean enabled, boolean onDrift, boolean onAccuracyDrop, int everyFeedback,
                            Duration schedule, int minNewLabels, Duration cooldown) {

    public static final int DEFAULT_MIN_NEW_LABELS = 20;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

    public RetrainPolicy {
        Objects.requireNonNull(cooldown, "cooldown");
        if (everyFeedback < 0) {
            throw new IllegalArgumentException("bulwark.classifier.retrain.every-feedback must be 0 (off) or more: "
                    + everyFeedback);
        }
        if (minNewLabels < 1) {
            throw new IllegalArgumentException("bulwark.classifier.retrain.min-new-labels must be at least 1: "
                    + minNewLabels);
        }
        if (schedule != null && schedule.isNegative() || cooldown.isNegative()) {
            throw new IllegalArgumentException("bulwark.classifier.retrain.schedule and cooldown must not be negative");
        }
    }

    /** The policy of a fresh install: off. */
    public static RetrainPolicy off() {
        return new RetrainPolicy(false, true, true, 0, null, DEFAULT_MIN_NEW_LABELS, DEFAULT_COOLDOWN);
    }
}
