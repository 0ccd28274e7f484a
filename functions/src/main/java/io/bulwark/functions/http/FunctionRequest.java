package io.bulwark.functions.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every runtime adapter hands it to {@link FunctionDispatcher}: method, path, headers (names
 * lower-cased, repeated values joined with a comma) and the body as the caller sent it (already base64-decoded where
 * the runtime encoded it). The dispatcher gives it its request id before a function sees it.
 *
 * @param requestId the caller's {@code X-Request-Id} if it looks like an id, else a new one; null until dispatched
 */
public record FunctionRequest(String method, String path, Map<String, String> headers, byte[] body,
                              String requestId) {

    public FunctionRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "" : path;
        TreeMap<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b);
                }
            });
        }
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
    }

    /** A request as an adapter receives it, before it has an id. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, null);
    }

    /** Returns a header's value by name, ignoring case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Returns this request with another body (decoded) and its id. */
    FunctionRequest dispatched(byte[] decodedBody, String id) {
        return new FunctionRequest(method, path, headers, decodedBody, id);
    }
}
