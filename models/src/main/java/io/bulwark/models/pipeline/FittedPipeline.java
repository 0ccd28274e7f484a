package io.bulwark.models.pipeline;

import io.bulwark.models.InputField;
import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Pipeline} fitted on a version's training rows: its steps with what they learnt. Saved beside the model as
 * {@code pipeline.json} ({@link #toJson}, read back by {@link #read}) and the one code that turns a raw row into the
 * version's features, when the version is trained, measured and served. Immutable and thread-safe.
 */
public final class FittedPipeline {

    private final List<Step> steps;

    FittedPipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Reads a saved pipeline over the fields of a model type's rows.
     *
     * @throws IllegalArgumentException when the JSON is not a fitted pipeline over these fields
     */
    public static FittedPipeline read(JsonNode node, Map<String, InputField.Kind> fields) {
        try {
            return new FittedPipeline(Pipeline.read(node, Pipeline.FIELD, fields, true));
        } catch (RequestRejected e) {
            throw new IllegalArgumentException(e.field() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the features of a raw row: the steps applied in order, then every number left (a category not one-hot
     * encoded and a missing value are not features). {@code raw} is not changed.
     *
     * @param raw field name → {@code Double}, {@code String}, or null for a missing value
     */
    public Map<String, Double> transform(Map<String, ?> raw) {
        Map<String, Object> row = new LinkedHashMap<>(raw);
        for (Step s : steps) {
            s.apply(row);
        }
        Map<String, Double> features = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v instanceof Double d && Double.isFinite(d)) {
                features.put(k, d);
            }
        });
        return features;
    }

    /** Returns the raw row's {@link #transform features} as a Tribuo example with {@code label}. */
    public Example<Label> example(Map<String, ?> raw, Label label) {
        Map<String, Double> features = transform(raw);
        String[] names = new String[features.size()];
        double[] values = new double[features.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : features.entrySet()) {
            names[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new ArrayExample<>(label, names, values);
    }

    /**
     * Returns the pipeline this one was fitted from, with nothing learnt: what a retrained version of the same
     * version is fitted from again, on its own rows.
     */
    public Pipeline spec() {
        return new Pipeline(steps.stream().<Step>map(s -> switch (s) {
            case Step.Impute i -> i.strategy() == Step.Strategy.CONSTANT ? i : new Step.Impute(i.feature(), i.strategy(), null);
            case Step.Scale sc -> new Step.Scale(sc.features(), sc.method(), Map.of());
            case Step.OneHot o -> new Step.OneHot(o.feature(), List.of(), false);
            case Step.Derive d -> d;
        }).toList());
    }

    /** Returns the JSON form: the spec of every step with what it learnt ({@code pipeline.json}). */
    public ObjectNode toJson() {
        return Pipeline.write(steps);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
