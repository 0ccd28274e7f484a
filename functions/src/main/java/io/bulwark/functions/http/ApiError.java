package io.bulwark.functions.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every 4xx answer: a machine-readable code, a sentence for people, and the field at fault.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String error, String message, String field) {
}
