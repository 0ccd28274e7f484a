package io.bulwark.models;

import io.bulwark.models.train.TrainingSpec;

/**
 * How a classifier serves and promotes versions, whatever its model type.
 *
 * @param confidenceThreshold below this probability the answer is {@code uncertain}, with the best guess
 * @param defaultVersion      the version serving requests without {@code X-Model-Version}; null or blank
 *                            for the promoted one
 * @param autoPromote         when a freshly trained version is promoted
 * @param promoteMetric       the held-out figure compared for {@link AutoPromote#IF_NOT_WORSE}, one of the model
 *                            type's {@link ModelType#metrics() metrics}; null or blank for the type's first
 * @param splitSeed           seeds the train/held-out split every version shares
 * @param testFraction        the held-out fraction
 * @param seed                the algorithm seed when a training request gives none
 */
public record ClassifierSettings(double confidenceThreshold, String defaultVersion, AutoPromote autoPromote,
                                 String promoteMetric, long splitSeed, double testFraction, long seed) {

    public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.6;

    /** When a newly trained version replaces the promoted one. */
    public enum AutoPromote {
        /** Always. */
        ALWAYS,
        /** When its held-out figure is at least the promoted version's on the same rows. */
        IF_NOT_WORSE,
        /** Never: promotion is by {@code POST /promote} only. */
        NEVER
    }

    public ClassifierSettings {
        if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
            throw new IllegalArgumentException("bulwark.classifier.confidence-threshold must be in [0, 1]: "
                    + confidenceThreshold);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("bulwark.classifier.test-fraction must be in (0, 1): " + testFraction);
        }
        if (defaultVersion != null && defaultVersion.isBlank()) {
            defaultVersion = null;
        }
        if (promoteMetric != null && promoteMetric.isBlank()) {
            promoteMetric = null;
        }
        java.util.Objects.requireNonNull(autoPromote, "autoPromote");
    }

    /** The settings of a fresh install. */
    public static ClassifierSettings defaults() {
        return new ClassifierSettings(DEFAULT_CONFIDENCE_THRESHOLD, null, AutoPromote.IF_NOT_WORSE, null,
                TrainingSpec.DEFAULT_SEED, TrainingSpec.DEFAULT_TEST_FRACTION, TrainingSpec.DEFAULT_SEED);
    }
}
