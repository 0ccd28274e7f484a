package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.resilience.Ticker;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.models.input.InputFormat;
import io.bulwark.models.input.Row;
import io.bulwark.models.input.RowReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * {@code POST /predict}: one row (JSON, CSV or XML), checked by the model type → its label, from the version the
 * {@code X-Model-Version} header names or the promoted one.
 *
 * @param <I> the model type's input
 */
public final class PredictFunction<I extends ModelInput> extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("predict");

    private final ClassifierService<I> classifier;
    private final PredictionLogger predictions;
    private final Ticker ticker;

    public PredictFunction(JsonMapper json, ClassifierService<I> classifier, PredictionLogger predictions,
                           Ticker ticker) {
        super(json);
        this.classifier = classifier;
        this.predictions = predictions;
        this.ticker = ticker;
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
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = ticker.read();
        InputFormat format = InputFormat.detect(request.header("Content-Type"), request.body());
        Row row = RowReader.single(format, request.body());
        if (row.error() != null) {
            throw row.error();
        }
        I input = classifier.type().input(row.values());
        ClassifierService.Selected selected = classifier.select(request.header(ClassifierService.VERSION_HEADER));
        ClassifierService.Cached result = classifier.predict(selected, input);
        Answer a = result.answer();
        double latency = Math.round((ticker.read() - start) / 1e3) / 1000.0;
        predictions.answered("predict", request.requestId(), selected.version(), input, a, latency);
        classifier.feedback().served(request.requestId(), selected.version(), input, a);
        return new Response(a.prediction(), a.bestGuess(), a.confidence(), new java.util.TreeMap<>(a.probabilities()),
                selected.version(), selected.fallback(), result.cached(), latency, request.requestId());
    }
}
