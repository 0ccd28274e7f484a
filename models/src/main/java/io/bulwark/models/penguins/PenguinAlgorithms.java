package io.bulwark.models.penguins;

import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The algorithms the penguin classifier offers, logistic regression first (v1's). */
final class PenguinAlgorithms {

    /**
     * Multinomial logistic regression by SGD with AdaGrad, on standardised measurements (the scaling is fitted
     * on the training rows and kept inside the model).
     */
    static final Algorithm LOGISTIC_REGRESSION = new Algorithm("logistic_regression", List.of(
            Hyperparameter.integer("epochs", 30, 1, 1000),
            Hyperparameter.real("learning_rate", 0.5, 1e-6, 10),
            Hyperparameter.integer("minibatch_size", 1, 1, 1000)),
            (h, seed) -> standardised(new LinearSGDTrainer(new LogMulticlass(),
                    new AdaGrad(((Number) h.get("learning_rate")).doubleValue()), (Integer) h.get("epochs"),
                    Integer.MAX_VALUE, (Integer) h.get("minibatch_size"), seed)));

    /**
     * A single CART decision tree (Gini impurity). Tribuo wants a child weight above 0, so the range starts just
     * above it; with unweighted rows every weight up to 1 means the same (a child of at least one row).
     */
    static final Algorithm CART = new Algorithm("cart", List.of(
            Hyperparameter.integer("max_depth", 6, 1, 50),
            Hyperparameter.real("min_child_weight", 5, 1e-6, 1000)),
            (h, seed) -> new CARTClassificationTrainer((Integer) h.get("max_depth"),
                    ((Number) h.get("min_child_weight")).floatValue(), 0f, 1f, false, new GiniIndex(), seed));

    /**
     * A random forest of CART trees, each split on a random fraction of the features; majority vote. With every
     * feature in every split ({@code feature_fraction} 1) it is bagged trees, which Tribuo's forest refuses to build:
     * that end of the range is trained by its bagging trainer, the same ensemble by definition.
     */
    static final Algorithm RANDOM_FOREST = new Algorithm("random_forest", List.of(
            Hyperparameter.integer("trees", 50, 1, 500),
            Hyperparameter.integer("max_depth", 8, 1, 50),
            Hyperparameter.real("feature_fraction", 0.5, 0.05, 1)),
            (h, seed) -> forest((Integer) h.get("trees"), (Integer) h.get("max_depth"),
                    ((Number) h.get("feature_fraction")).floatValue(), seed));

    static final List<Algorithm> ALL = List.of(LOGISTIC_REGRESSION, CART, RANDOM_FOREST);

    private PenguinAlgorithms() {
    }

    private static Trainer<Label> forest(int trees, int maxDepth, float featureFraction, long seed) {
        var tree = new CARTClassificationTrainer(maxDepth, 1f, 0f, featureFraction, false, new GiniIndex(), seed);
        return featureFraction < 1f
                ? new RandomForestTrainer<>(tree, new VotingCombiner(), trees, seed)
                : new BaggingTrainer<>(tree, new VotingCombiner(), trees, seed);
    }

    /** Wraps a linear trainer so the measurements are standardised (mean 0, deviation 1) before it sees them. */
    private static Trainer<Label> standardised(Trainer<Label> trainer) {
        Map<String, List<Transformation>> scaling = new LinkedHashMap<>();
        PenguinFeatures.NUMERIC.forEach(f -> scaling.put(f, List.of(new MeanStdDevTransformation())));
        return new TransformTrainer<>(trainer, new TransformationMap(scaling));
    }
}
