package io.bulwark.functions.sentiment;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /sentiment}: validates {@code {"text": "...", "user_id": "optional"}}, answers through the sentiment
 * chain and appends the answer to the shared prediction log (model, label, confidence; the text unless inputs are
 * redacted, its hash always). A log that cannot be written costs a warning, not the answer.
 */
public final class SentimentFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("sentiment");
    /** Longest accepted {@code text}, in characters, unless configured. */
    public static final int DEFAULT_MAX_LENGTH = 1000;
    /** Longest accepted {@code user_id}. */
    public static final int MAX_USER_ID_LENGTH = 128;

    private static final Logger log = LoggerFactory.getLogger(SentimentFunction.class);

    private final SentimentChain chain;
    private final int maxLength;
    private final PredictionLog predictions;
    private final boolean redactInputs;
    private final Clock clock;

    public SentimentFunction(JsonMapper json, SentimentChain chain, int maxLength, PredictionLog predictions,
                             boolean redactInputs, Clock clock) {
        super(json);
        this.chain = chain;
        this.maxLength = maxLength;
        this.predictions = predictions;
        this.redactInputs = redactInputs;
        this.clock = clock;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public SentimentAnswer apply(FunctionRequest request) {
        JsonNode body = jsonObject(request);
        String text = text(body.get("text"));
        userId(body.get("user_id"));
        SentimentAnswer answer = chain.classify(text).withRequestId(request.requestId());
        record(text, answer);
        return answer;
    }

    private void record(String text, SentimentAnswer a) {
        if (predictions == PredictionLog.NONE) {
            return;
        }
        try {
            predictions.append(new PredictionRecord(clock.instant(), a.requestId(), "sentiment", a.model(),
                    redactInputs ? null : json.writeValueAsString(Map.of("text", text)), PredictionRecord.hashOf(text),
                    a.sentiment(), a.confidence(), a.latencyMs()));
        } catch (RuntimeException e) {
            log.warn("request {}: the prediction log refused the answer ({}); answered all the same", a.requestId(),
                    e.toString());
        }
    }

    private String text(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new RequestRejected("missing_field", "text", "\"text\" is required");
        }
        if (!node.isString()) {
            throw new RequestRejected("invalid_type", "text", "\"text\" must be a string, not " + kind(node));
        }
        String text = node.stringValue();
        if (text.isBlank()) {
            throw new RequestRejected("empty_field", "text", "\"text\" must not be empty or only white space");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw new RequestRejected("too_long", "text",
                    "\"text\" is " + length + " characters long; the limit is " + maxLength);
        }
        return text;
    }

    private static void userId(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (!node.isString()) {
            throw new RequestRejected("invalid_type", "user_id", "\"user_id\" must be a string, not " + kind(node));
        }
        if (node.stringValue().length() > MAX_USER_ID_LENGTH) {
            throw new RequestRejected("too_long", "user_id",
                    "\"user_id\" must be at most " + MAX_USER_ID_LENGTH + " characters");
        }
    }
}
