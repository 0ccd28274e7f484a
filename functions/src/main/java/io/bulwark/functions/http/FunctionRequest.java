package io.bulwark.functions.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every runtime adapter hands it to {@link FunctionDispatcher}: method, path,
 * headers (names lower-cased, repeated values joined with a comma) and the body as the caller sent it
 * (already base64-decoded where the runtime encoded it).
 */
public record FunctionRequest(String method, String path, Map<String, String> headers, byte[] body) {

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

    /** Returns a header's value by name, ignoring case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
