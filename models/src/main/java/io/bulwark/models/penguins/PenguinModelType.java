package io.bulwark.models.penguins;

import io.bulwark.models.InputField;
import io.bulwark.models.ModelType;
import io.bulwark.models.pipeline.Pipeline;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Metric;
import io.bulwark.models.train.TrainingData;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The penguin classifier as a {@link ModelType}: a row of island, bill length and depth, flipper length, body
 * mass and (optional) sex → the species (Adelie, Chinstrap, Gentoo), learnt from the bundled Palmer penguins
 * data by logistic regression (v1), a CART tree or a random forest, promoted on held-out macro-F1 by default.
 */
public final class PenguinModelType implements ModelType<Penguin> {

    private static final List<Metric> METRICS = List.of(Metric.MACRO_F1, Metric.ACCURACY);
    /** A row's fields: the categories as text, the measurements as numbers; sex may be left out. */
    private static final List<InputField> FIELDS = List.of(
            InputField.text(PenguinValidator.ISLAND, true),
            InputField.number(PenguinFeatures.BILL_LENGTH, true),
            InputField.number(PenguinFeatures.BILL_DEPTH, true),
            InputField.number(PenguinFeatures.FLIPPER_LENGTH, true),
            InputField.number(PenguinFeatures.BODY_MASS, true),
            InputField.text(PenguinValidator.SEX, false));

    /**
     * The pipeline of a version trained without one named: island and sex one-hot, the measurements as they are —
     * the features {@link PenguinFeatures} gave before pipelines existed (the linear model standardises inside).
     */
    public static final String DEFAULT_PIPELINE = "{\"steps\": [{\"one_hot\": {\"feature\": \"island\"}},"
            + " {\"one_hot\": {\"feature\": \"sex\"}}]}";

    private final PenguinData data;
    private final Pipeline pipeline;

    private PenguinModelType(PenguinData data) {
        this.data = data;
        this.pipeline = Pipeline.parse(tools.jackson.databind.json.JsonMapper.builder().build().readTree(DEFAULT_PIPELINE),
                Pipeline.FIELD, pipelineFields());
    }

    /**
     * The class-path directory of the shipped {@code v1} (model, metadata, profile, pipeline), written by
     * {@code io.bulwark.tools.models.ShipModels} from {@link io.bulwark.models.train.TrainingSpec#defaults}.
     */
    public static final String SHIPPED_VERSION = "penguins/v1/";

    /** Returns the type over the bundled data (read and cleaned once per call). */
    public static PenguinModelType bundled() {
        return new PenguinModelType(PenguinData.bundled());
    }

    @Override
    public String name() {
        return "penguins";
    }

    @Override
    public List<InputField> fields() {
        return FIELDS;
    }

    /** Checks the fields and ranges (see {@link PenguinValidator}); {@code sex} may be left out. */
    @Override
    public Penguin input(Map<String, ?> row) {
        return PenguinValidator.validate(row);
    }

    @Override
    public Example<Label> example(Penguin penguin, Label label) {
        return PenguinFeatures.example(penguin, label);
    }

    /** The species, as the bundled data and the answers name it: Adelie, Chinstrap or Gentoo. */
    @Override
    public String labelField() {
        return "species";
    }

    @Override
    public List<Algorithm> algorithms() {
        return PenguinAlgorithms.ALL;
    }

    @Override
    public TrainingData<Penguin> data() {
        return data;
    }

    @Override
    public List<Metric> metrics() {
        return METRICS;
    }

    @Override
    public Optional<Pipeline> defaultPipeline() {
        return Optional.of(pipeline);
    }

    /** The row as a pipeline reads it: island and sex as their wire names (sex null when unknown), the measurements. */
    @Override
    public Map<String, Object> raw(Penguin p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(PenguinValidator.ISLAND, p.island().wire());
        row.put(PenguinFeatures.BILL_LENGTH, p.billLengthMm());
        row.put(PenguinFeatures.BILL_DEPTH, p.billDepthMm());
        row.put(PenguinFeatures.FLIPPER_LENGTH, p.flipperLengthMm());
        row.put(PenguinFeatures.BODY_MASS, p.bodyMassG());
        row.put(PenguinValidator.SEX, p.sex() == Sex.UNKNOWN ? null : p.sex().wire());
        return row;
    }

    /** The shipped {@code v1}; installed only when it was trained on this type's data ({@link #data()}'s hash). */
    @Override
    public String shippedVersion() {
        return SHIPPED_VERSION;
    }
}
