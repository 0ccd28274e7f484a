package io.bulwark.models.train;

import io.bulwark.models.LabelledPenguin;
import io.bulwark.models.PenguinFeatures;
import io.bulwark.models.data.PenguinData;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Trains a penguin classifier from a {@link TrainingSpec} on the cleaned data and measures it on the
 * held-out split. Deterministic: the same spec and data give the same model and metrics.
 */
public final class PenguinTrainer {

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

    private final PenguinData data;
    private final Clock clock;

    public PenguinTrainer(PenguinData data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    /** A trained model with what the registry records beside it. */
    public record Trained(Model<Label> model, PenguinData.Split split, VersionMetadata metadata) {
    }

    public Trained train(TrainingSpec spec) {
        long start = System.nanoTime();
        PenguinData.Split split = data.split(spec.testFraction(), spec.splitSeed());
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                data.source() + " sha256=" + data.sha256(), clock.instant().atOffset(ZoneOffset.UTC), labels), labels);
        split.train().forEach(p -> dataset.add(PenguinFeatures.labelled(p)));

        Trainer<Label> trainer = spec.algorithm().trainer(spec.hyperparameters(), spec.seed());
        if (spec.algorithm().needsScaling()) {
            Map<String, List<org.tribuo.transform.Transformation>> scaling = new LinkedHashMap<>();
            PenguinFeatures.NUMERIC.forEach(f -> scaling.put(f, List.of(new MeanStdDevTransformation())));
            trainer = new TransformTrainer<>(trainer, new TransformationMap(scaling));
        }
        Model<Label> model = trainer.train(dataset);
        long trainingMs = (System.nanoTime() - start) / 1_000_000;

        Metrics metrics = evaluate(model, split.test());
        VersionMetadata.Provenance provenance = new VersionMetadata.Provenance(clock.instant(), data.source(),
                data.sha256(), spec.seed(), spec.splitSeed(), spec.testFraction(), "tribuo " + Tribuo.VERSION,
                Runtime.version().toString(), trainingMs);
        return new Trained(model, split, new VersionMetadata(spec.algorithm().wire(), new LinkedHashMap<>(spec.hyperparameters()),
                metrics, provenance, summary(split)));
    }

    /** Measures {@code model} on {@code rows}. */
    public static Metrics evaluate(Model<Label> model, List<LabelledPenguin> rows) {
        List<String> actual = new ArrayList<>(rows.size());
        List<String> predicted = new ArrayList<>(rows.size());
        for (LabelledPenguin p : rows) {
            actual.add(p.species());
            predicted.add(model.predict(PenguinFeatures.unlabelled(p.penguin())).getOutput().getLabel());
        }
        return Metrics.of(actual, predicted);
    }

    private VersionMetadata.DataSummary summary(PenguinData.Split split) {
        Map<String, VersionMetadata.FeatureSummary> features = new LinkedHashMap<>();
        features.put(PenguinFeatures.BILL_LENGTH, feature(split.train(), p -> p.penguin().billLengthMm()));
        features.put(PenguinFeatures.BILL_DEPTH, feature(split.train(), p -> p.penguin().billDepthMm()));
        features.put(PenguinFeatures.FLIPPER_LENGTH, feature(split.train(), p -> p.penguin().flipperLengthMm()));
        features.put(PenguinFeatures.BODY_MASS, feature(split.train(), p -> p.penguin().bodyMassG()));
        return new VersionMetadata.DataSummary(data.rawRows(), data.dropped(), split.train().size(),
                split.test().size(), PenguinData.countBySpecies(split.train()),
                PenguinData.countBySpecies(split.test()), features);
    }

    private static VersionMetadata.FeatureSummary feature(List<LabelledPenguin> rows, ToDoubleFunction<LabelledPenguin> f) {
        var stats = rows.stream().mapToDouble(f).summaryStatistics();
        return new VersionMetadata.FeatureSummary(stats.getMin(), stats.getMax(),
                Math.round(stats.getAverage() * 1000) / 1000.0);
    }
}
