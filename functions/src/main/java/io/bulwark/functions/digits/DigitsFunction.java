package io.bulwark.functions.digits;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.Variant;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /digits}: one handwritten digit → 0 … 9 (or {@code uncertain} with the best guess), from the version
 * {@code X-Model-Version} names (else the promoted one) in the variant {@code X-Model-Variant} names (else the
 * configured one). The digit comes as a PNG or JPEG body ({@code image/png}, {@code image/jpeg}), or as JSON:
 * {@code {"image": "<base64>"}} or {@code {"pixels": [[...28]...28]}} / 784 values, {@code "pixel_range": "0-1"}
 * when they are not 0 … 255.
 */
public final class DigitsFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("digits");

    private final DigitService service;
    private final Ticker ticker;
    private final PredictionLogger predictions;

    /**
     * @param predictions where each answer is recorded (function {@code digits}, the input's pixel hash and shape);
     *                    answers that are not degraded are also remembered for {@code POST /feedback}
     */
    public DigitsFunction(JsonMapper json, DigitService service, Ticker ticker, PredictionLogger predictions) {
        super(json);
        this.service = service;
        this.ticker = ticker;
        this.predictions = predictions;
    }

    /** The body of a {@code /digits} answer; {@code digit} is a number, or the text {@code uncertain}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"digit", "best_guess", "confidence", "probabilities", "model_version", "variant", "degraded",
            "fallback", "latency_ms", "request_id"})
    public record Response(Object digit, @JsonProperty("best_guess") Integer bestGuess, double confidence,
                           Map<String, Double> probabilities, @JsonProperty("model_version") String modelVersion,
                           String variant, boolean degraded, String fallback,
                           @JsonProperty("latency_ms") double latencyMs, @JsonProperty("request_id") String requestId) {

        static Object digit(DigitService.Answer a) {
            return a.uncertain() ? "uncertain" : a.digit();
        }
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = ticker.read();
        DigitImage image = read(request);
        DigitService.Answers answers = service.recognise(List.of(image), request.header(DigitService.VERSION_HEADER),
                request.header(Variant.HEADER));
        DigitService.Answer a = answers.answers().getFirst();
        double latency = Math.round((ticker.read() - start) / 1e3) / 1000.0;
        predictions.answered("digits", request.requestId(), answers.version(), image, a.toAnswer(), latency);
        if (!answers.degraded()) {
            service.feedback().served(request.requestId(), answers.version(), image, a.toAnswer());
        }
        return new Response(Response.digit(a), a.bestGuess(), a.confidence(), a.probabilities(), answers.version(),
                answers.variant().wire(), answers.degraded(), answers.fallback(), latency, request.requestId());
    }

    private DigitImage read(FunctionRequest request) {
        String contentType = request.header("Content-Type");
        if (isImage(contentType, request.body())) {
            if (request.body().length == 0) {
                throw new RequestRejected("missing_body", "body", "the request body is empty: send a PNG or JPEG");
            }
            return service.type().image(request.body(), "body");
        }
        return service.type().input(fields(jsonObject(request)));
    }

    /** A JSON object's fields as a model type reads a row. */
    static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> row = new LinkedHashMap<>();
        for (String name : object.propertyNames()) {
            row.put(name, object.get(name));
        }
        return row;
    }

    /**
     * True for {@code image/png} and {@code image/jpeg}; 415 for another image type; with no content type, true when
     * the body starts as a PNG or JPEG does.
     */
    static boolean isImage(String contentType, byte[] body) {
        if (contentType == null || contentType.isBlank()) {
            return body.length >= 3 && (body[0] == (byte) 0x89 && body[1] == 'P' && body[2] == 'N'
                    || body[0] == (byte) 0xff && body[1] == (byte) 0xd8 && body[2] == (byte) 0xff);
        }
        MimeType type;
        try {
            type = MimeTypeUtils.parseMimeType(contentType);
        } catch (RuntimeException e) {
            return false; // JsonFunction refuses it with its 415
        }
        if (!"image".equals(type.getType())) {
            return false;
        }
        if ("png".equals(type.getSubtype()) || "jpeg".equals(type.getSubtype()) || "jpg".equals(type.getSubtype())) {
            return true;
        }
        throw new RequestRejected(415, "unsupported_media_type", "Content-Type", "the Content-Type '" + type
                + "' is not supported: send image/png, image/jpeg or application/json");
    }
}
