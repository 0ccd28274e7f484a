package io.bulwark.functions.sentiment;

import io.bulwark.functions.http.ApiException;
import io.bulwark.functions.http.JsonFunction;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /sentiment}: validates {@code {"text": "...", "user_id": "optional"}} and answers
 * through the sentiment chain.
 */
public final class SentimentFunction extends JsonFunction {

    /** Longest accepted {@code user_id}. */
    public static final int MAX_USER_ID_LENGTH = 128;
    /** A caller's {@code X-Request-Id} is echoed back when it looks like an id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final SentimentChain chain;
    private final int maxLength;

    public SentimentFunction(JsonMapper json, SentimentChain chain, int maxLength) {
        super(json);
        this.chain = chain;
        this.maxLength = maxLength;
    }

    @Override
    protected Object handle(Message<byte[]> request) {
        JsonNode body = jsonObject(request);
        String text = text(body.get("text"));
        userId(body.get("user_id"));
        return SentimentResponse.of(chain.classify(text), requestId(request));
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
