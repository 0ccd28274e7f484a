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
}
