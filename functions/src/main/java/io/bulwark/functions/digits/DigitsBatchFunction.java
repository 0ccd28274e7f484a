package io.bulwark.functions.digits;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.Variant;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /digits_batch}: {@code {"images": [...]}}, each item a {@code /digits} JSON body ({@code image} or
 * {@code pixels}) → one result per item, in order, recognised together (ONNX Runtime runs them in batches of 64).
 * A bad item gets its own {@code {"index": i, "error": {...}}} and the others are still answered.
 */
public final class DigitsBatchFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("digits_batch");
    static final String IMAGES = "images";

    private final DigitService service;
    private final Ticker ticker;
    private final PredictionLogger predictions;

    /** @param predictions where each answered item is recorded (function {@code digits_batch}, id {@code <id>#<i>}) */
    public DigitsBatchFunction(JsonMapper json, DigitService service, Ticker ticker, PredictionLogger predictions) {
        super(json);
        this.service = service;
        this.ticker = ticker;
        this.predictions = predictions;
    }

    /** One item's result: an answer, or the error that item alone had. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "digit", "best_guess", "confidence", "probabilities", "error"})
    public record Item(int index, Object digit, @JsonProperty("best_guess") Integer bestGuess, Double confidence,
                       Map<String, Double> probabilities, ApiError error) {
    }

    /** The body of a {@code /digits_batch} answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"model_version", "variant", "degraded", "fallback", "results", "count", "failed", "latency_ms",
            "request_id"})
    public record Response(@JsonProperty("model_version") String modelVersion, String variant, boolean degraded,
                           String fallback, List<Item> results, int count, int failed, @JsonProperty("latency_ms") double latencyMs,
                           @JsonProperty("request_id") String requestId) {
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = ticker.read();
        JsonNode body = jsonObject(request);
        JsonNode items = body.get(IMAGES);
        if (items == null || items.isNull()) {
            throw new RequestRejected("missing_field", IMAGES, "give \"images\": an array of {\"image\": ...} or"
                    + " {\"pixels\": ...} objects");
        }
        if (!items.isArray()) {
            throw new RequestRejected("invalid_type", IMAGES, "\"images\" must be an array, not " + kind(items));
        }
        if (items.isEmpty()) {
            throw new RequestRejected("missing_field", IMAGES, "\"images\" holds no image");
        }
        int max = service.settings().maxBatch();
        if (items.size() > max) {
            throw new RequestRejected(413, "too_many_images", IMAGES, "a batch takes at most " + max
                    + " images (bulwark.digits.max-batch); this one has " + items.size());
        }
        List<Item> results = new ArrayList<>(items.size());
        List<DigitImage> images = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new RequestRejected("invalid_type", IMAGES + "[" + i + "]", "each image must be an object"
                            + " with \"image\" or \"pixels\", not " + kind(item));
                }
                images.add(service.type().input(DigitsFunction.fields(item)));
                at.add(i);
                results.add(null);
            } catch (RequestRejected e) {
                if (e.status() == 503) {
                    throw e;
                }
                String field = e.field() == null ? IMAGES + "[" + i + "]"
                        : e.field().startsWith(IMAGES) ? e.field() : IMAGES + "[" + i + "]." + e.field();
                results.add(new Item(i, null, null, null, null, new ApiError(e.code(), e.getMessage(), field)));
            }
        }
        String version = null;
        String variant = null;
        String fallback = null;
        boolean degraded = false;
        List<DigitService.Answer> lastAnswers = List.of();
        if (!images.isEmpty()) {
            DigitService.Answers answers = service.recognise(images, request.header(DigitService.VERSION_HEADER),
                    request.header(Variant.HEADER));
            version = answers.version();
            variant = answers.variant().wire();
            fallback = answers.fallback();
            degraded = answers.degraded();
            lastAnswers = answers.answers();
            for (int k = 0; k < at.size(); k++) {
                DigitService.Answer a = answers.answers().get(k);
                results.set(at.get(k), new Item(at.get(k), DigitsFunction.Response.digit(a), a.bestGuess(),
                        a.confidence(), a.probabilities(), null));
            }
        }
        double latency = Math.round((ticker.read() - start) / 1e3) / 1000.0;
        if (!images.isEmpty()) {
            PredictionLogger.Batch logged = predictions.batch("digits_batch", request.requestId(), version);
            for (int k = 0; k < at.size(); k++) {
                DigitService.Answer a = lastAnswers.get(k);
                logged.add(at.get(k), images.get(k), a.toAnswer(), latency / at.size());
                if (!degraded) {
                    service.feedback().served(request.requestId() + "#" + at.get(k), version, images.get(k),
                            a.toAnswer());
                }
            }
            logged.answered();
        }
        return new Response(version, variant, degraded, fallback, results, results.size(), results.size() - images.size(),
                latency, request.requestId());
    }
}
