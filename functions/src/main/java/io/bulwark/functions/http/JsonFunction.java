package io.bulwark.functions.http;

import io.bulwark.models.input.JsonSyntax;
import io.bulwark.resilience.failure.RequestRejected;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The base of functions that read a JSON object: the content-type check and strict parsing, with the 4xx that says
 * what is wrong.
 */
public abstract class JsonFunction implements HttpFunction {

    protected final JsonMapper json;
    /** Request bodies are read strictly: {@code {"text": "a", "text": "b"}} is ambiguous, so it is refused. */
    private final ObjectReader bodyReader;

    protected JsonFunction(JsonMapper json) {
        this.json = json;
        this.bodyReader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Returns the body parsed as a JSON object, or throws the 4xx that says what is wrong with it. */
    protected JsonNode jsonObject(FunctionRequest request) {
        requireJson(request.header("Content-Type"));
        byte[] body = request.body();
        if (body.length == 0) {
            throw new RequestRejected("missing_body", "body", "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = bodyReader.readTree(body);
        } catch (JacksonException e) {
            throw new RequestRejected("malformed_json", "body",
                    "the request body is not valid JSON: " + JsonSyntax.describe(e));
        }
        if (node == null || !node.isObject()) {
            throw new RequestRejected("invalid_type", "body",
                    "the request body must be a JSON object, not " + kind(node));
        }
        return node;
    }

    /**
     * Returns the body of a function whose every field is optional (the admin functions): no body, or only JSON white
     * space, is an empty object; anything else must be a JSON object with no field outside {@code fields}.
     */
    protected JsonNode optionalJsonObject(FunctionRequest request, List<String> fields) {
        JsonNode node = isJsonWhiteSpace(request.body()) ? json.createObjectNode() : jsonObject(request);
        for (String field : node.propertyNames()) {
            if (!fields.contains(field)) {
                throw new RequestRejected("unknown_field", field, "'" + field + "' is not a field of /"
                        + endpoint().name() + (fields.isEmpty() ? ": it takes no body, or {}"
                        : ": " + String.join(", ", fields)));
            }
        }
        return node;
    }

    /** True for zero bytes or only the white space JSON allows between tokens (space, tab, line feed, return). */
    static boolean isJsonWhiteSpace(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Returns a JSON type name for messages: object, array, string, number, boolean, null. */
    protected static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isArray() ? "an array" : "an object";
    }

    private static void requireJson(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        MimeType type;
        try {
            type = MimeTypeUtils.parseMimeType(value);
        } catch (RuntimeException e) {
            throw new RequestRejected(415, "unsupported_media_type", "Content-Type", "the Content-Type '" + value
                    + "' cannot be read: send application/json");
        }
        boolean json = "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new RequestRejected(415, "unsupported_media_type", "Content-Type", "the Content-Type '" + type
                    + "' is not supported: send application/json");
        }
    }
}
