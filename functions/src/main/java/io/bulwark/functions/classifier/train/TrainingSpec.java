package io.bulwark.functions.classifier.train;

import java.util.Map;
import java.util.Objects;

/**
 * What to train: an algorithm with its hyperparameters (all resolved, see {@link Algorithm#resolve}),
 * a seed for every random choice, and the held-out fraction.
 */
public record TrainingSpec(Algorithm algorithm, Map<String, Object> hyperparameters, long seed, double testFraction) {

    /** The seed of the default split and of v1. */
    public static final long DEFAULT_SEED = 42;
    /** The held-out fraction of the default split. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;

    public TrainingSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        hyperparameters = Map.copyOf(algorithm.resolve(hyperparameters));
    }

    /** Returns the spec of v1: logistic regression with its defaults, seed 42, 20 % held out. */
    public static TrainingSpec defaults() {
        return new TrainingSpec(Algorithm.LOGISTIC_REGRESSION, Map.of(), DEFAULT_SEED, DEFAULT_TEST_FRACTION);
    }
}
