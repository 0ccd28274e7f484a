package io.bulwark.models.evaluate;

import io.bulwark.models.ModelInput;
import io.bulwark.models.ModelType;
import io.bulwark.models.pipeline.Features;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metrics;
import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Measures a trained version on labelled rows, without training: each row is predicted as {@code /predict} would
 * (the top label, its probability among the scores normalised to sum to 1), then compared with its known label.
 *
 * @param <I> the model type's input
 */
public final class Evaluator<I extends ModelInput> {

    private final Features<I> features;

    /** An evaluator of versions that read the type's own features (no pipeline). */
    public Evaluator(ModelType<I> type) {
        this(type::example);
    }

    /** An evaluator of a version that reads {@code features} (see {@link Features}). */
    public Evaluator(Features<I> features) {
        this.features = features;
    }

    /**
     * Returns the evaluation of {@code model} on {@code rows}.
     *
     * @param labelField names the field at fault when row {@code i}'s label is not one of the version's classes
     *                   (e.g. {@code rows[3].species}); the refusal is a 400 {@code unknown_label}
     */
    public Evaluation evaluate(String version, Model<Label> model, List<Labelled<I>> rows, String data,
                               IntFunction<String> labelField) {
        if (rows.isEmpty()) {
            throw new RequestRejected("missing_field", "rows", "there are no labelled rows to evaluate on");
        }
        TreeSet<String> classes = new TreeSet<>();
        model.getOutputIDInfo().getDomain().forEach(l -> classes.add(l.getLabel()));
        for (int i = 0; i < rows.size(); i++) {
            String label = rows.get(i).label();
            if (!classes.contains(label)) {
                throw new RequestRejected("unknown_label", labelField.apply(i), "row " + i + "'s label '" + clip(label)
                        + "' is not a class of " + version + ": " + String.join(", ", classes));
            }
        }
        List<String> actual = new ArrayList<>(rows.size());
        List<String> predicted = new ArrayList<>(rows.size());
        List<Double> confidence = new ArrayList<>(rows.size());
        List<Boolean> correct = new ArrayList<>(rows.size());
        for (Labelled<I> r : rows) {
            Prediction<Label> p = model.predict(features.example(r.input(), LabelFactory.UNKNOWN_LABEL));
            String best = p.getOutput().getLabel();
            actual.add(r.label());
            predicted.add(best);
            confidence.add(topProbability(p, best));
            correct.add(best.equals(r.label()));
        }
        return new Evaluation(version, data, List.copyOf(classes), Metrics.of(actual, predicted),
                Calibration.of(confidence, correct, Calibration.DEFAULT_BINS));
    }

    /** The top label's share of the (non-negative) scores, as {@code /predict} reports its confidence. */
    static double topProbability(Prediction<Label> p, String best) {
        double total = 0;
        double top = 0;
        for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
            double score = Math.max(0, e.getValue().getScore());
            total += score;
            if (e.getKey().equals(best)) {
                top = score;
            }
        }
        return total > 0 ? top / total : 0;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
