package io.bulwark.functions.http;

import java.util.Map;

/**
 * What {@link FunctionDispatcher} answers: an HTTP status, the headers to send, and a JSON body. Every adapter sends
 * exactly these, nothing of a runtime's own internal headers.
 */
public record FunctionResponse(int status, Map<String, String> headers, byte[] body) {

    /** The content type of every answer. */
    public static final String CONTENT_TYPE = "application/json";

    public FunctionResponse {
        headers = Map.copyOf(headers);
    }
}
