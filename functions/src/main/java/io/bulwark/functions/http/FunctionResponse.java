package io.bulwark.functions.http;

/**
 * What {@link FunctionDispatcher} answers: an HTTP status and a JSON body. Every adapter sends exactly
 * this and the {@value #CONTENT_TYPE} content type, nothing of Spring's internal message headers.
 */
public record FunctionResponse(int status, byte[] body) {

    /** The content type of every answer. */
    public static final String CONTENT_TYPE = "application/json";
}
