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
 * @param query     the query string's parameters, decoded (the first value of a name given twice); empty for none
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

    /** A request as an adapter receives it, before it has an id. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, null, Map.of());
    }

    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body, String requestId) {
        this(method, path, headers, body, requestId, Map.of());
    }

    /** Returns this request with the parameters of a raw query string ({@code a=1&b=x%20y}); null or empty: none. */
    public FunctionRequest withQuery(String rawQuery) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.putIfAbsent(name, value);
            }
        }
        return withQuery(params);
    }

    /** Returns this request with these query parameters (already decoded). */
    public FunctionRequest withQuery(Map<String, String> params) {
        return new FunctionRequest(method, path, headers, body, requestId, params);
    }

    /** Returns a query parameter, or null. */
    public String queryParameter(String name) {
        return query.get(name);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape is kept as written; the function refuses what it cannot use
        }
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
