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
 * @param query     the query string's parameters, decoded (the first value of a repeated name); empty when none
 */
public record FunctionRequest(String method, String path, Map<String, String> headers, byte[] body,
                              String requestId, Map<String, String> query) {

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
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /** A request without a query string. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body, String requestId) {
        this(method, path, headers, body, requestId, Map.of());
    }

    /** A request as an adapter receives it, before it has an id. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, null);
    }

    /** Returns a query parameter's value, or null. */
    public String query(String name) {
        return query.get(name);
    }

    /** Parses a raw query string ({@code a=1&b=x%20y}); the first value of a repeated name wins. */
    public static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                        java.nio.charset.StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is left out, as if not sent
            }
        }
        return params;
    }

    /** Returns a header's value by name, ignoring case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Returns this request with another body (decoded) and its id. */
    FunctionRequest dispatched(byte[] decodedBody, String id) {
        return new FunctionRequest(method, path, headers, decodedBody, id, query);
    }
}
