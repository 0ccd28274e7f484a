package io.bulwark.functions.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every runtime adapter hands it to {@link FunctionDispatcher}: method, path, headers (names
 * lower-cased, repeated values joined with a comma) and the body as the caller sent it (already base64-decoded where
 * the runtime encoded it). The dispatcher gives it its request id, and the values of its route's path variables,
 * before a function sees it.
 *
 * @param path           the path as the caller sent it (percent-encoded), without the query string
 * @param requestId      once dispatched: the caller's {@code X-Request-Id} if it looks like an id, else the platform's
 *                       id of the request, else a new one. Before: the platform's id as the adapter found it (API
 *                       Gateway's {@code requestContext.requestId}, the Azure invocation id), or null
 * @param query          the query string's parameters, decoded (the first value of a name given twice); empty for none
 * @param pathParameters the values of the route's {@code {variables}}, percent-decoded, by variable name (see
 *                       {@link FunctionEndpoints.Endpoint}); empty until dispatched
 */
public record FunctionRequest(String method, String path, Map<String, String> headers, byte[] body,
                              String requestId, Map<String, String> query, Map<String, String> pathParameters) {

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
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    }

    /** A request as an adapter receives it, before it has an id. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, null, Map.of(), Map.of());
    }

    /** A request with its id (before dispatching: the platform's id of it), before its route is known. */
    public FunctionRequest(String method, String path, Map<String, String> headers, byte[] body, String requestId) {
        this(method, path, headers, body, requestId, Map.of(), Map.of());
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
        return new FunctionRequest(method, path, headers, body, requestId, params, pathParameters);
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

    /**
     * Returns the value of one of the route's path variables, e.g. {@code name} of {@code v2/models/{name}/infer}.
     *
     * @throws IllegalArgumentException when the function's route has no such variable (a bug, not bad input)
     */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route of " + path + " has no path variable {" + name + "}");
        }
        return value;
    }

    /** Returns this request with another body (decoded), its id and its path variables. */
    FunctionRequest dispatched(byte[] decodedBody, String id, Map<String, String> parameters) {
        return new FunctionRequest(method, path, headers, decodedBody, id, query, parameters);
    }
}
