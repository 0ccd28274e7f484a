package io.bulwark.functions.http;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.util.function.Function;

/**
 * A function that takes and gives JSON as raw bytes with headers, the same on every runtime (local
 * HTTP, AWS Lambda, Azure): it checks the content type, parses the body, and turns an
 * {@link ApiException} into a 4xx message. The status travels in the {@value #STATUS_HEADER} header,
 * which Spring Cloud Function's AWS adapter honours and the local HTTP adapter copies.
 */
public abstract class JsonFunction implements Function<Message<byte[]>, Message<byte[]>> {

    /** The message header carrying the HTTP status. */
    public static final String STATUS_HEADER = "statusCode";

    protected final JsonMapper json;
    /** Request bodies are read strictly: {@code {"text": "a", "text": "b"}} is ambiguous, so it is refused. */
    private final ObjectReader bodyReader;
    private volatile String name;
    private volatile FunctionObserver observer = FunctionObserver.NONE;

    protected JsonFunction(JsonMapper json) {
        this.json = json;
        this.bodyReader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Reports every call of this function, under {@code name}, to {@code observer}; wired once, when the
     * application starts (monitoring is one decorator around every function, not code in each).
     *
     * @throws IllegalStateException if an observer is already set
     */
    public final synchronized void observeWith(String name, FunctionObserver observer) {
        if (this.observer != FunctionObserver.NONE) {
            throw new IllegalStateException("function " + this.name + " is already observed");
        }
        this.name = java.util.Objects.requireNonNull(name, "name");
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    @Override
    public final Message<byte[]> apply(Message<byte[]> request) {
        long start = System.nanoTime();
        int status = 500;
        Object body = null;
        try {
            try {
                body = handle(request);
                status = 200;
            } catch (ApiException e) {
                body = e.body();
                status = e.status();
            }
            return respond(status, body);
        } finally {
            FunctionObserver o = observer;
            if (o != FunctionObserver.NONE) {
                o.onCall(new FunctionCall(name, status, System.nanoTime() - start, body));
            }
        }
    }

    /**
     * A body already written as JSON (by a streaming writer): sent as is. The bytes must be one JSON value.
     */
    public record RawJson(byte[] bytes) {
    }

    /**
     * Answers a request; throws {@link ApiException} for input the caller must fix. The body is serialised to
     * JSON, unless it is a {@link RawJson}.
     */
    protected abstract Object handle(Message<byte[]> request);

    /** Returns the body parsed as a JSON object, or throws the 4xx that says what is wrong with it. */
    protected JsonNode jsonObject(Message<byte[]> request) {
        requireJson(request);
        byte[] body = request.getPayload();
        if (body == null || body.length == 0) {
            throw ApiException.badField("missing_body", "body", "the request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = bodyReader.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badField("malformed_json", "body",
                    "the request body is not valid JSON: " + syntaxError(e));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badField("invalid_type", "body",
                    "the request body must be a JSON object, not " + kind(node));
        }
        return node;
    }

    /**
     * What is wrong with a body, in the caller's terms: Jackson's message without its own vocabulary (the
     * Java type it was binding, the feature flags that would have allowed it), plus the line and column.
     */
    public static String syntaxError(JacksonException e) {
        String what = e.getOriginalMessage();
        int cut = what.indexOf('\n');
        what = cut < 0 ? what : what.substring(0, cut);
        if (what.startsWith("Trailing token")) {
            what = "unexpected content after the JSON value";
        }
        what = what.replaceAll(" ?\\(bound as `[^`]*`\\)", "")
                .replaceAll(":? ?(enable|not allowed as per) `[^`]*`( to allow)?", "")
                .strip();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            what += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return what;
    }

    /** Returns a JSON type name for messages: object, array, string, number, boolean, null. */
    protected static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isTextual()) {
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

    /** Returns a header by name, ignoring case: runtimes differ in how they spell HTTP header names. */
    protected static Object header(Message<?> message, String name) {
        Object exact = message.getHeaders().get(name);
        if (exact != null) {
            return exact;
        }
        for (var e : message.getHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Returns the {@code Content-Type} header however the runtime spelled it, or null. */
    protected static Object contentType(Message<?> request) {
        Object value = header(request, MessageHeaders.CONTENT_TYPE);
        return value != null ? value : header(request, "Content-Type");
    }

    private static void requireJson(Message<?> request) {
        Object value = header(request, MessageHeaders.CONTENT_TYPE);
        if (value == null) {
            value = header(request, "Content-Type");
        }
        if (value == null || value.toString().isBlank()) {
            return;
        }
        MimeType type;
        try {
            type = value instanceof MimeType m ? m : MimeTypeUtils.parseMimeType(value.toString());
        } catch (RuntimeException e) {
            throw new ApiException(415, "unsupported_media_type", "the Content-Type '" + value
                    + "' cannot be read: send application/json", "Content-Type");
        }
        boolean json = "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new ApiException(415, "unsupported_media_type", "the Content-Type '" + type
                    + "' is not supported: send application/json", "Content-Type");
        }
    }

    private Message<byte[]> respond(int status, Object body) {
        byte[] bytes = body instanceof RawJson raw ? raw.bytes() : json.writeValueAsBytes(body);
        return MessageBuilder.withPayload(bytes)
                .setHeader(STATUS_HEADER, status)
                .setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
                .build();
    }
}
