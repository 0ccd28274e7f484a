package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.resilience.Ticker;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierBoundary;
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

    private final ClassifierBoundary<I> boundary;
    private final ClassifierService<I> classifier;
    private final PredictionLogger predictions;
    private final Ticker ticker;

    private final String shadowVersion;

    public PredictFunction(JsonMapper json, ClassifierBoundary<I> boundary, PredictionLogger predictions,
                           Ticker ticker) {
        this(json, boundary, predictions, ticker, null);
    }

    /**
     * @param shadowVersion a version that also answers every request in the shadow of the serving one: its answer is
     *                      only written to the prediction log ({@code predict_shadow}, same request id), after the
     *                      answer and inside the boundary ({@link ClassifierBoundary.Request#shadow}); null: none
     */
    public PredictFunction(JsonMapper json, ClassifierBoundary<I> boundary, PredictionLogger predictions,
                           Ticker ticker, String shadowVersion) {
        super(json);
        this.shadowVersion = shadowVersion == null || shadowVersion.isBlank() ? null : shadowVersion.strip();
        this.boundary = boundary;
        this.classifier = boundary.classifier();
        this.predictions = predictions;
        this.ticker = ticker;
    }

    /**
     * The body of a {@code /predict} answer: {@code fallback} says why the selected version did not answer and which
     * did; {@code degraded} is true when none could ({@code "prediction": "uncertain"} with no {@code best_guess}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"prediction", "best_guess", "confidence", "probabilities", "model_version", "degraded",
            "fallback", "cached", "latency_ms", "request_id"})
    public record Response(String prediction, @JsonProperty("best_guess") String bestGuess, double confidence,
                           Map<String, Double> probabilities, @JsonProperty("model_version") String modelVersion,
                           boolean degraded, String fallback, boolean cached, @JsonProperty("latency_ms") double latencyMs,
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
        ClassifierBoundary.Request call = boundary.open(request.header(ClassifierService.VERSION_HEADER));
        ClassifierBoundary.Result result = call.predict(input);
        Answer a = result.answer();
        double latency = Math.round((ticker.read() - start) / 1e3) / 1000.0;
        predictions.answered("predict", request.requestId(), result.version(), input, a, latency);
        if (!result.degraded()) {
            classifier.feedback().served(request.requestId(), result.version(), input, a);
        }
        if (shadowVersion != null) {
            // inside the boundary, after the answer: never delays or fails it (counted in the boundary's shadow stats)
            call.shadow(shadowVersion, result.version(), input, (version, s, ms) -> predictions.answered(
                    "predict_shadow", request.requestId(), version, input, s, Math.round(ms * 1000) / 1000.0));
        }
        return new Response(a.prediction(), a.bestGuess(), a.confidence(), new java.util.TreeMap<>(a.probabilities()),
                result.version(), result.degraded(), result.fallback(), result.cached(), latency, request.requestId());
    }
}
