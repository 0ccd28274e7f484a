package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.feedback.Feedback;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code POST /feedback}: {@code {"request_id": "...", "label": "Adelie"}} → the true label of a served prediction,
 * joined to it by its request id (a batch row's is {@code <id>#<row>}): counted in that version's live accuracy, kept
 * for retraining, and appended to the prediction log beside the prediction's record.
 */
public final class FeedbackFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("feedback");

    private static final List<String> FIELDS = List.of("request_id", "label");

    private final ClassifierService<?> classifier;
    private final PredictionLogger predictions;
    private final io.bulwark.models.digits.DigitService digits;

    public FeedbackFunction(JsonMapper json, ClassifierService<?> classifier, PredictionLogger predictions) {
        this(json, classifier, predictions, null);
    }

    /** @param digits the digit recogniser: feedback on a {@code /digits} request id joins its answer (null: none) */
    public FeedbackFunction(JsonMapper json, ClassifierService<?> classifier, PredictionLogger predictions,
                            io.bulwark.models.digits.DigitService digits) {
        super(json);
        this.classifier = classifier;
        this.predictions = predictions;
        this.digits = digits;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = System.nanoTime();
        JsonNode body = jsonObject(request);
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new RequestRejected("unknown_field", field, "'" + field + "' is not a field of /feedback: "
                        + String.join(", ", FIELDS));
            }
        }
        String requestId = text(body, "request_id");
        String label = text(body, "label");
        // A request id is a penguin's or a digit's: the digit recogniser answers for the ids it remembers.
        Feedback.Joined joined = digits != null && !classifier.feedback().knows(requestId)
                && digits.feedback().knows(requestId) ? digits.feedback().give(requestId, label)
                : classifier.feedback().give(requestId, label);
        predictions.feedback(requestId, joined.version(), joined.label(), (System.nanoTime() - start) / 1e6);
        return joined;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw new RequestRejected("missing_field", field, "\"" + field + "\" is required");
        }
        if (!n.isString()) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a string, not " + kind(n));
        }
        if (n.stringValue().isBlank()) {
            throw new RequestRejected("empty_field", field, "\"" + field + "\" must not be empty");
        }
        return n.stringValue().strip();
    }
}
