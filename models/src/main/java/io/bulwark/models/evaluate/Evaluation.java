package io.bulwark.models.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.train.Metrics;

import java.util.List;

/**
 * How one model version classifies a labelled set, measured without training: accuracy, macro-F1, per-class
 * precision/recall/F1 and the confusion matrix ({@link Metrics}), and how well its confidence is calibrated.
 *
 * @param modelVersion the version measured
 * @param data         what it was measured on, e.g. {@code dataset ds-…} or {@code 3 rows given in the request}
 * @param classes      the labels the version knows
 */
@JsonPropertyOrder({"model_version", "data", "classes", "metrics", "calibration"})
public record Evaluation(@JsonProperty("model_version") String modelVersion, String data, List<String> classes,
                         Metrics metrics, Calibration calibration) {

    public Evaluation {
        classes = List.copyOf(classes);
    }
}
