package io.bulwark.functions.sentiment;

import io.bulwark.functions.http.ApiException;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.functions.predictionlog.PredictionLog;
import io.bulwark.functions.predictionlog.PredictionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /sentiment}: validates {@code {"text": "...", "user_id": "optional"}}, answers through the sentiment
 * chain and appends the answer to the shared prediction log (model, label, confidence; the text unless inputs are
 * redacted, its hash always). A log that cannot be written costs a warning, not the answer.
 */
public final class SentimentFunction extends JsonFunction {

    /** Longest accepted {@code user_id}. */
    public static final int MAX_USER_ID_LENGTH = 128;
    /** A caller's {@code X-Request-Id} is echoed back when it looks like an id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private static final Logger log = LoggerFactory.getLogger(SentimentFunction.class);

    private final SentimentChain chain;
    private final int maxLength;
    private final PredictionLog predictions;
    private final boolean redactInputs;
    private final Clock clock;

    public SentimentFunction(JsonMapper json, SentimentChain chain, int maxLength) {
        this(json, chain, maxLength, PredictionLog.NONE, false, Clock.systemUTC());
    }

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
    protected Object handle(Message<byte[]> request) {
        JsonNode body = jsonObject(request);
        String text = text(body.get("text"));
        userId(body.get("user_id"));
        SentimentResponse response = SentimentResponse.of(chain.classify(text), requestId(request));
        record(text, response);
        return response;
    }

    private void record(String text, SentimentResponse r) {
        if (predictions == PredictionLog.NONE) {
            return;
        }
        try {
            predictions.append(new PredictionRecord(clock.instant(), r.requestId(), "sentiment", r.modelUsed(),
                    redactInputs ? null : json.writeValueAsString(java.util.Map.of("text", text)), PredictionRecord.hashOf(text),
                    r.sentiment(), r.confidence(), r.latencyMs()));
        } catch (RuntimeException e) {
            log.warn("request {}: the prediction log refused the answer ({}); answered all the same", r.requestId(),
                    e.toString());
        }
    }


    private String text(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw ApiException.badField("missing_field", "text", "\"text\" is required");
        }
        if (!node.isTextual()) {
            throw ApiException.badField("invalid_type", "text", "\"text\" must be a string, not " + kind(node));
        }
        String text = node.textValue();
        if (text.isBlank()) {
            throw ApiException.badField("empty_field", "text", "\"text\" must not be empty or only white space");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw ApiException.badField("too_long", "text",
                    "\"text\" is " + length + " characters long; the limit is " + maxLength);
        }
        return text;
    }

    private static void userId(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (!node.isTextual()) {
            throw ApiException.badField("invalid_type", "user_id", "\"user_id\" must be a string, not " + kind(node));
        }
        if (node.textValue().length() > MAX_USER_ID_LENGTH) {
            throw ApiException.badField("too_long", "user_id",
                    "\"user_id\" must be at most " + MAX_USER_ID_LENGTH + " characters");
        }
    }

    private static String requestId(Message<byte[]> request) {
        Object given = header(request, "X-Request-Id");
        if (given != null && REQUEST_ID.matcher(given.toString()).matches()) {
            return given.toString();
        }
        return UUID.randomUUID().toString();
    }
}
