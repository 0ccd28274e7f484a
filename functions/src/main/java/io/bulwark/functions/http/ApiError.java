package io.bulwark.functions.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bulwark.resilience.failure.RequestRejected;

/**
 * The body of every 4xx (and 503) answer: a machine-readable code, a sentence for people, and the field at fault.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String error, String message, String field) {

    /** Returns the body of a refusal. */
    public static ApiError of(RequestRejected e) {
        return new ApiError(e.code(), e.getMessage(), e.field());
    }

    /**
     * Returns the body of an error the servlet container answered before any function saw the request (a path or
     * header Tomcat refuses, a body it cannot read): only the status is known, so the message names no detail.
     */
    public static ApiError ofStatus(int status) {
        return switch (status) {
            case 400 -> new ApiError("bad_request", "the request is not valid HTTP: its request line, path or a "
                    + "header was refused", null);
            case 404 -> new ApiError("not_found", "there is nothing at this path", "path");
            case 405 -> new ApiError("method_not_allowed", "this method is not supported here", "method");
            case 408 -> new ApiError("request_timeout", "the request was not received in time", null);
            case 413 -> new ApiError("payload_too_large", "the request is too large", "body");
            case 414 -> new ApiError("uri_too_long", "the request line is too long", "path");
            case 431 -> new ApiError("headers_too_large", "the request headers are too large", null);
            case 503 -> new ApiError("unavailable", "the server cannot take this request now; try again", null);
            default -> status < 500
                    ? new ApiError("bad_request", "the request was refused (HTTP " + status + ")", null)
                    : new ApiError("internal_error", "an internal error occurred; it has been logged", null);
        };
    }
}
