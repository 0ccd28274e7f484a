package io.bulwark.models.train;

import io.bulwark.models.ModelInput;
import io.bulwark.models.ModelType;
import io.bulwark.models.drift.ReferenceProfile;
import io.bulwark.models.pipeline.Features;
import io.bulwark.models.pipeline.FittedPipeline;
import io.bulwark.models.pipeline.Pipeline;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The trainer of a {@link ModelType}'s versions: for a {@link TrainingSpec} it splits the type's data with the
 * spec's seed, trains on one part and measures on the held-out part. Deterministic: the same spec and data give
 * the same model and metrics.
 *
 * @param <I> the model type's input
 */
public final class ModelTrainer<I extends ModelInput> {

    /**
     * Tribuo logs every epoch and every forest member at INFO through java.util.logging; one train would
     * print dozens of lines. Held in a field so the level sticks (JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger TRIBUO_LOG = quiet();

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.tribuo");
        if (logger.getLevel() == null) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    private final ModelType<I> type;
    private final Clock clock;

    /** @param clock dates the version and its data set's provenance */
    public ModelTrainer(ModelType<I> type, Clock clock) {
        this.type = type;
        this.clock = clock;
    }

    public ModelType<I> type() {
        return type;
    }

    /**
     * A trained model with the split it was trained and measured on and what the registry records beside it: its
     * metadata, the profile of its training features (what drift compares served inputs with) and its fitted
     * preprocessing pipeline (null: the model type's own features).
     */
    public record Trained<I>(Model<Label> model, Split<I> split, VersionMetadata metadata, ReferenceProfile profile,
                             FittedPipeline pipeline) {

        /** A model trained on the model type's own features, without a pipeline. */
        public Trained(Model<Label> model, Split<I> split, VersionMetadata metadata, ReferenceProfile profile) {
            this(model, split, metadata, profile, null);
        }
    }

    /** Trains on the model type's own data. */
    public Trained<I> train(TrainingSpec spec) {
        return train(spec, type.data());
    }

    /**
     * Trains on {@code data} (e.g. a dataset version), split by the spec as the type's own data would be, through the
     * type's {@link ModelType#defaultPipeline() default pipeline} if it has one.
     */
    public Trained<I> train(TrainingSpec spec, TrainingData<I> data) {
        return train(spec, data, type.defaultPipeline().orElse(null));
    }

    /**
     * Trains on {@code data} through {@code pipeline}, fitted on the training split (null: the type's own
     * {@link ModelType#example features}, as versions saved before pipelines were).
     */
    public Trained<I> train(TrainingSpec spec, TrainingData<I> data, Pipeline pipeline) {
        long start = System.nanoTime();
        Split<I> split = data.split(spec.testFraction(), spec.splitSeed());
        FittedPipeline fitted = pipeline == null ? null
                : pipeline.fit(split.train().stream().map(r -> type.raw(r.input())).toList());
        Features<I> features = Features.of(type, fitted);
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                data.source() + " sha256=" + data.sha256(), clock.instant().atOffset(ZoneOffset.UTC), labels), labels);
        split.train().forEach(r -> dataset.add(features.example(r.input(), new Label(r.label()))));

        Model<Label> model = spec.algorithm().trainer(spec.hyperparameters(), spec.seed()).train(dataset);
        long trainingMs = (System.nanoTime() - start) / 1_000_000;

        Metrics metrics = evaluate(model, features, split.test());
        VersionMetadata.Provenance provenance = new VersionMetadata.Provenance(clock.instant(), data.source(),
                data.sha256(), spec.seed(), spec.splitSeed(), spec.testFraction(), "tribuo " + Tribuo.VERSION,
                Runtime.version().toString(), trainingMs);
        ReferenceProfile profile = ReferenceProfile.of(split.train().stream()
                .map(r -> type.driftFeatures(r.input())).toList());
        return new Trained<>(model, split, new VersionMetadata(spec.algorithm().name(),
                new LinkedHashMap<>(spec.hyperparameters()), metrics, provenance, data.summary(split)), profile, fitted);
    }

    /** Measures {@code model}, which reads the type's own features (no pipeline), on labelled {@code rows}. */
    public Metrics evaluate(Model<Label> model, List<Labelled<I>> rows) {
        return evaluate(model, type::example, rows);
    }

    /** Measures {@code model}, which reads {@code features}, on labelled {@code rows}. */
    public Metrics evaluate(Model<Label> model, Features<I> features, List<Labelled<I>> rows) {
        List<String> actual = new ArrayList<>(rows.size());
        List<String> predicted = new ArrayList<>(rows.size());
        for (Labelled<I> r : rows) {
            actual.add(r.label());
            predicted.add(model.predict(features.example(r.input(), LabelFactory.UNKNOWN_LABEL)).getOutput().getLabel());
        }
        return Metrics.of(actual, predicted);
    }
}
