package io.bulwark.models.train;

import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A training algorithm selectable by name, with its hyperparameters, their defaults and their ranges.
 */
public enum Algorithm {

    /** Multinomial logistic regression by SGD with AdaGrad, on standardised measurements. */
    LOGISTIC_REGRESSION("logistic_regression", true, List.of(
            Param.integer("epochs", 30, 1, 1000),
            Param.real("learning_rate", 0.5, 1e-6, 10),
            Param.integer("minibatch_size", 1, 1, 1000))) {
        @Override
        Trainer<Label> trainer(Map<String, Object> h, long seed) {
            return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(((Number) h.get("learning_rate")).doubleValue()),
                    (Integer) h.get("epochs"), Integer.MAX_VALUE, (Integer) h.get("minibatch_size"), seed);
        }
    },

    /** A single CART decision tree (Gini impurity). */
    CART("cart", false, List.of(
            Param.integer("max_depth", 6, 1, 50),
            Param.real("min_child_weight", 5, 0, 1000))) {
        @Override
        Trainer<Label> trainer(Map<String, Object> h, long seed) {
            return new CARTClassificationTrainer((Integer) h.get("max_depth"),
                    ((Number) h.get("min_child_weight")).floatValue(), 0f, 1f, false, new GiniIndex(), seed);
        }
    },

    /** A random forest of CART trees, each split on a random fraction of the features; majority vote. */
    RANDOM_FOREST("random_forest", false, List.of(
            Param.integer("trees", 50, 1, 500),
            Param.integer("max_depth", 8, 1, 50),
            Param.real("feature_fraction", 0.5, 0.05, 1))) {
        @Override
        Trainer<Label> trainer(Map<String, Object> h, long seed) {
            CARTClassificationTrainer tree = new CARTClassificationTrainer((Integer) h.get("max_depth"), 1f, 0f,
                    ((Number) h.get("feature_fraction")).floatValue(), false, new GiniIndex(), seed);
            return new RandomForestTrainer<>(tree, new VotingCombiner(), (Integer) h.get("trees"), seed);
        }
    };

    private final String wire;
    private final boolean needsScaling;
    private final List<Param> params;

    Algorithm(String wire, boolean needsScaling, List<Param> params) {
        this.wire = wire;
        this.needsScaling = needsScaling;
        this.params = params;
    }

    abstract Trainer<Label> trainer(Map<String, Object> hyperparameters, long seed);

    public String wire() {
        return wire;
    }

    /** Returns true when the measurements must be standardised for this algorithm (linear models). */
    public boolean needsScaling() {
        return needsScaling;
    }

    /** Returns every name, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Algorithm::wire).collect(Collectors.joining(", "));
    }

    /** Returns the algorithm named {@code name}, or throws {@link RequestRejected} naming the field. */
    public static Algorithm parse(String name) {
        for (Algorithm a : values()) {
            if (a.wire.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new RequestRejected("invalid_value", "algorithm",
                "\"algorithm\" must be one of " + names() + ", not '" + name + "'");
    }

    /**
     * Returns every hyperparameter of this algorithm, the given ones checked and the others at their
     * defaults, in a stable order; throws {@link RequestRejected} for an unknown name, a wrong type or a value
     * out of range.
     */
    public Map<String, Object> resolve(Map<String, ?> given) {
        for (String name : given.keySet()) {
            if (params.stream().noneMatch(p -> p.name.equals(name))) {
                throw new RequestRejected("unknown_hyperparameter", "hyperparameters." + name, "'" + name
                        + "' is not a hyperparameter of " + wire + "; it takes " + paramNames());
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (Param p : params) {
            Object value = given.get(p.name);
            resolved.put(p.name, value == null ? p.defaultValue : p.check(value));
        }
        return resolved;
    }

    private String paramNames() {
        return params.stream().map(p -> p.name).collect(Collectors.joining(", "));
    }

    /** One hyperparameter: an integer or a real number within a closed range. */
    private record Param(String name, boolean integral, Number defaultValue, double min, double max) {

        static Param integer(String name, int defaultValue, int min, int max) {
            return new Param(name, true, defaultValue, min, max);
        }

        static Param real(String name, double defaultValue, double min, double max) {
            return new Param(name, false, defaultValue, min, max);
        }

        Object check(Object value) {
            String field = "hyperparameters." + name;
            if (!(value instanceof Number n)) {
                throw new RequestRejected("invalid_type", field, "'" + name + "' must be a number");
            }
            double d = n.doubleValue();
            if (integral && d != Math.rint(d)) {
                throw new RequestRejected("invalid_type", field, "'" + name + "' must be a whole number, not " + d);
            }
            if (!(d >= min && d <= max)) {
                throw new RequestRejected("out_of_range", field, "'" + name + "' must be between "
                        + (integral ? Long.toString((long) min) : Double.toString(min)) + " and "
                        + (integral ? Long.toString((long) max) : Double.toString(max)) + ", not " + n);
            }
            return integral ? (Object) (int) d : (Object) d;
        }
    }
}
