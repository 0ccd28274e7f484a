package io.bulwark.models.train;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A held-out figure that ranks two versions of a model for promotion, named as settings and answers name it;
 * higher is better.
 *
 * @param name   e.g. {@code macro_f1}
 * @param figure reads the figure from a version's held-out {@link Metrics}
 */
public record Metric(String name, ToDoubleFunction<Metrics> figure) {

    /** The share of held-out rows labelled right. */
    public static final Metric ACCURACY = new Metric("accuracy", Metrics::accuracy);
    /** The F1 score averaged over labels, each label counting the same however rare. */
    public static final Metric MACRO_F1 = new Metric("macro_f1", Metrics::macroF1);

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(figure, "figure");
    }

    /** Returns this figure of {@code metrics}. */
    public double of(Metrics metrics) {
        return figure.applyAsDouble(metrics);
    }
}
