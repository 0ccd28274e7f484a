package io.bulwark.models.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How well a model classifies a labelled set: accuracy, macro-averaged F1, per-class precision, recall
 * and F1, and the confusion matrix ({@code confusion[actual][predicted]} = count).
 */
@JsonPropertyOrder({"accuracy", "macro_f1", "examples", "per_class", "confusion_matrix"})
public record Metrics(double accuracy, @JsonProperty("macro_f1") double macroF1, int examples,
                      @JsonProperty("per_class") Map<String, ClassMetrics> perClass,
                      @JsonProperty("confusion_matrix") Map<String, Map<String, Integer>> confusion) {

    /** The figures of one class. */
    @JsonPropertyOrder({"precision", "recall", "f1", "support"})
    public record ClassMetrics(double precision, double recall, double f1, int support) {
    }

    /** Computes the metrics of {@code predicted} against {@code actual}, index by index. */
    public static Metrics of(List<String> actual, List<String> predicted) {
        if (actual.size() != predicted.size() || actual.isEmpty()) {
            throw new IllegalArgumentException("need as many predictions as labels, and at least one");
        }
        TreeSet<String> labels = new TreeSet<>(actual);
        labels.addAll(predicted);
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        for (String a : labels) {
            Map<String, Integer> row = new LinkedHashMap<>();
            labels.forEach(p -> row.put(p, 0));
            confusion.put(a, row);
        }
        int correct = 0;
        for (int i = 0; i < actual.size(); i++) {
            confusion.get(actual.get(i)).merge(predicted.get(i), 1, Integer::sum);
            if (actual.get(i).equals(predicted.get(i))) {
                correct++;
            }
        }
        Map<String, ClassMetrics> perClass = new LinkedHashMap<>();
        double f1Sum = 0;
        for (String label : labels) {
            int tp = confusion.get(label).get(label);
            int support = confusion.get(label).values().stream().mapToInt(Integer::intValue).sum();
            int predictedAs = confusion.values().stream().mapToInt(r -> r.get(label)).sum();
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(label, new ClassMetrics(round(precision), round(recall), round(f1), support));
            f1Sum += f1;
        }
        return new Metrics(round((double) correct / actual.size()), round(f1Sum / labels.size()), actual.size(),
                perClass, confusion);
    }

    /** Four decimals: more would claim a precision a few dozen held-out rows cannot give. */
    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
