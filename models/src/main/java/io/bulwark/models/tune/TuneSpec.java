package io.bulwark.models.tune;

import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Metric;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tuning run: the algorithm, the values each searched hyperparameter may take (the others keep their defaults), the
 * strategy, k-fold cross-validation on the training split, the figure ranked, the seed of every random choice, and
 * the budget.
 *
 * @param space     hyperparameter name → its values; every name a hyperparameter of {@code algorithm}
 * @param folds     k of the k-fold cross-validation
 * @param maxTrials the most trials (each a configuration's cross-validation on one budget of rows)
 * @param maxTime   the run stops starting trials after this long
 */
public record TuneSpec(Algorithm algorithm, Map<String, Dimension> space, Strategy strategy, int folds, int maxTrials,
                       Duration maxTime, long seed, Metric metric) {

    public static final int MIN_TRIALS = 1;
    public static final int MAX_TRIALS = 200;
    public static final int DEFAULT_TRIALS = 20;
    public static final int MIN_FOLDS = 2;
    public static final int MAX_FOLDS = 10;
    public static final int DEFAULT_FOLDS = 5;
    public static final Duration MAX_TIME = Duration.ofHours(1);
    public static final Duration DEFAULT_TIME = Duration.ofMinutes(5);

    /** How configurations are chosen. */
    public enum Strategy {
        /** Every combination of the dimensions' grid values, in order. */
        GRID,
        /** {@code maxTrials} configurations drawn at random (seeded). */
        RANDOM,
        /**
         * Random configurations, first cross-validated on a small share of the training rows; the best third go on to
         * three times the rows, and so on, until one is left or the rows run out (Jamieson and Talwalkar's successive
         * halving, η = 3).
         */
        SUCCESSIVE_HALVING
    }

    public TuneSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(maxTime, "maxTime");
        Objects.requireNonNull(metric, "metric");
        space = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(space));
        if (space.isEmpty()) {
            throw new IllegalArgumentException("the search space is empty");
        }
        if (folds < MIN_FOLDS || folds > MAX_FOLDS || maxTrials < MIN_TRIALS || maxTrials > MAX_TRIALS) {
            throw new IllegalArgumentException("folds or trials out of range");
        }
    }
}
