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
import java.util.Map;

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
        return train(spec, data, null, List.of(), pipeline);
    }

    /**
     * Trains a version on {@code data}'s training rows plus {@code extra} labelled rows (feedback, for a retrained
     * challenger), measured on the same held-out rows as every other version, recording {@code origin} (why it was
     * trained, e.g. the tuning run that chose its hyperparameters) in its metadata. An extra row whose input is one of
     * the held-out inputs is left out, so the held-out figures stay honest. The profile drift compares with is made
     * from all the rows the version learnt from.
     */
    public Trained<I> train(TrainingSpec spec, TrainingData<I> data, Object origin, List<Labelled<I>> extra) {
        return train(spec, data, origin, extra, type.defaultPipeline().orElse(null));
    }

    /**
     * Trains as {@link #train(TrainingSpec, TrainingData, Object, List)} through {@code pipeline}, fitted on the rows
     * the version learns from (null: the type's own {@link ModelType#example features}).
     */
    public Trained<I> train(TrainingSpec spec, TrainingData<I> data, Object origin, List<Labelled<I>> extra,
                            Pipeline pipeline) {
        long start = System.nanoTime();
        Split<I> split = data.split(spec.testFraction(), spec.splitSeed());
        java.util.Set<String> heldOut = new java.util.HashSet<>();
        split.test().forEach(r -> heldOut.add(r.input().canonical()));
        List<Labelled<I>> learnt = new ArrayList<>(split.train());
        extra.stream().filter(r -> !heldOut.contains(r.input().canonical())).forEach(learnt::add);
        FittedPipeline fitted = pipeline == null ? null
                : pipeline.fit(learnt.stream().map(r -> type.raw(r.input())).toList());
        Features<I> features = Features.of(type, fitted);
        LabelFactory labels = new LabelFactory();
        String source = data.source() + " sha256=" + data.sha256()
                + (learnt.size() > split.train().size() ? " + " + (learnt.size() - split.train().size())
                + " feedback rows" : "");
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                source, clock.instant().atOffset(ZoneOffset.UTC), labels), labels);
        learnt.forEach(r -> dataset.add(features.example(r.input(), new Label(r.label()))));

        Model<Label> model = spec.algorithm().trainer(spec.hyperparameters(), spec.seed()).train(dataset);
        long trainingMs = (System.nanoTime() - start) / 1_000_000;

        Metrics metrics = evaluate(model, features, split.test());
        VersionMetadata.Provenance provenance = new VersionMetadata.Provenance(clock.instant(),
                learnt.size() > split.train().size() ? data.source() + " + " + (learnt.size() - split.train().size())
                        + " feedback rows" : data.source(),
                data.sha256(), spec.seed(), spec.splitSeed(), spec.testFraction(), "tribuo " + Tribuo.VERSION,
                Runtime.version().toString(), trainingMs);
        ReferenceProfile profile = ReferenceProfile.of(learnt.stream()
                .map(r -> type.driftFeatures(r.input())).toList());
        return new Trained<>(model, split, new VersionMetadata(spec.algorithm().name(),
                new LinkedHashMap<>(spec.hyperparameters()), metrics, provenance, data.summary(split), origin), profile,
                fitted);
    }

    /**
     * Returns the cross-validated figure of an algorithm's hyperparameters on {@code rows}: the rows are dealt into
     * {@code folds} folds stratified by label (seeded by {@code foldSeed}); for each fold a model is trained on the
     * others and measured on it. With {@code fraction} below 1 each training part is cut to that share (its first
     * rows after the seeded deal: successive halving's small budgets). Deterministic.
     *
     * @return the figure of each fold, in fold order
     */
    public double[] crossValidate(Algorithm algorithm, Map<String, Object> hyperparameters, long seed,
                                  List<Labelled<I>> rows, int folds, long foldSeed, Metric metric, double fraction) {
        if (folds < 2 || folds > rows.size()) {
            throw new IllegalArgumentException("folds must be in [2, rows]: " + folds);
        }
        Map<String, Object> resolved = algorithm.resolve(hyperparameters);
        List<List<Labelled<I>>> dealt = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            dealt.add(new ArrayList<>());
        }
        Map<String, List<Labelled<I>>> byLabel = new java.util.TreeMap<>();
        rows.forEach(r -> byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r));
        java.util.Random random = new java.util.Random(foldSeed);
        int next = 0;
        for (List<Labelled<I>> group : byLabel.values()) {
            java.util.Collections.shuffle(group, random);
            for (Labelled<I> r : group) {
                dealt.get(next++ % folds).add(r);
            }
        }
        double[] scores = new double[folds];
        for (int f = 0; f < folds; f++) {
            LabelFactory labels = new LabelFactory();
            MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("cross-validation fold "
                    + f, clock.instant().atOffset(ZoneOffset.UTC), labels), labels);
            List<Labelled<I>> train = new ArrayList<>();
            for (int g = 0; g < folds; g++) {
                if (g != f) {
                    train.addAll(dealt.get(g));
                }
            }
            // A cut keeps each label's share (its first rows, already in the seeded deal's order).
            Map<String, List<Labelled<I>>> trainByLabel = new java.util.TreeMap<>();
            train.forEach(r -> trainByLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r));
            for (List<Labelled<I>> group : trainByLabel.values()) {
                int keep = Math.max(1, (int) Math.ceil(group.size() * Math.min(1, fraction)));
                group.subList(0, keep).forEach(r -> dataset.add(type.example(r.input(), new Label(r.label()))));
            }
            Model<Label> model = algorithm.trainer(resolved, seed).train(dataset);
            scores[f] = metric.of(evaluate(model, dealt.get(f)));
        }
        return scores;
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
