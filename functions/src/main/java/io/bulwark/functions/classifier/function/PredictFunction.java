package io.bulwark.functions.classifier.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.classifier.Answer;
import io.bulwark.functions.classifier.ClassifierService;
import io.bulwark.functions.classifier.Penguin;
import io.bulwark.functions.classifier.PenguinValidator;
import io.bulwark.functions.classifier.input.InputFormat;
import io.bulwark.functions.classifier.input.Row;
import io.bulwark.functions.classifier.input.RowReader;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * {@code POST /predict}: one penguin (JSON, CSV or XML) → its species, from the version the
 * {@code X-Model-Version} header names or the promoted one.
 */
public final class PredictFunction extends ClassifierFunction {

    private final ClassifierService classifier;
    private final PredictionLogger predictions;

    public PredictFunction(JsonMapper json, ClassifierService classifier, PredictionLogger predictions) {
        super("predict", json);
        this.classifier = classifier;
        this.predictions = predictions;
    }

    /** The body of a {@code /predict} answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"prediction", "best_guess", "confidence", "probabilities", "model_version", "fallback",
            "cached", "latency_ms", "request_id"})
    public record Response(String prediction, @JsonProperty("best_guess") String bestGuess, double confidence,
                           Map<String, Double> probabilities, @JsonProperty("model_version") String modelVersion,
                           String fallback, boolean cached, @JsonProperty("latency_ms") double latencyMs,
                           @JsonProperty("request_id") String requestId) {
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        InputFormat format = InputFormat.detect(contentType(request), request.getPayload());
        Row row = RowReader.single(format, request.getPayload());
        if (row.error() != null) {
            throw row.error();
        }
        Penguin penguin = PenguinValidator.validate(row.values());
        Object header = header(request, ClassifierService.VERSION_HEADER);
        ClassifierService.Selected selected = classifier.select(header == null ? null : header.toString());
        ClassifierService.Cached result = classifier.predict(selected, penguin);
        Answer a = result.answer();
        double latency = Math.round(call.elapsedMs() * 1000) / 1000.0;
        predictions.answered("predict", call.requestId(), selected.version(), penguin, a, latency);
        return new Response(a.prediction(), a.bestGuess(), a.confidence(), new java.util.TreeMap<>(a.probabilities()),
                selected.version(), selected.fallback(), result.cached(), latency, call.requestId());
    }
}
