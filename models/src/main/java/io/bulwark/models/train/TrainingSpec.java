package io.bulwark.models.train;

import io.bulwark.models.ModelType;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * What to train: an algorithm with its hyperparameters (all resolved, see {@link Algorithm#resolve}), the
 * seed of the algorithm's random choices, and the split. The split is the registry's, not the caller's:
 * every version is measured on the same held-out rows, so their metrics compare.
 *
 * @param seed         seeds the algorithm (e.g. SGD order, forest bagging and feature sampling)
 * @param splitSeed    seeds the train/held-out split
 * @param testFraction the held-out fraction
 */
public record TrainingSpec(Algorithm algorithm, Map<String, Object> hyperparameters, long seed, long splitSeed,
                           double testFraction) {

    /** The seed of the default split and of v1. */
    public static final long DEFAULT_SEED = 42;
    /** The held-out fraction of the default split. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;

    public TrainingSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        // In the algorithm's order, not Map.copyOf's: that one changes from one JVM to the next, and so would the
        // order of /train's answer and of metadata.json.
        hyperparameters = Collections.unmodifiableMap(algorithm.resolve(hyperparameters));
    }

    /**
     * Returns the spec of a type's v1: its first algorithm with that algorithm's defaults, seed 42, 20 % held out
     * with seed 42.
     */
    public static TrainingSpec defaults(ModelType<?> type) {
        return new TrainingSpec(type.algorithms().getFirst(), Map.of(), DEFAULT_SEED, DEFAULT_SEED,
                DEFAULT_TEST_FRACTION);
    }
}
