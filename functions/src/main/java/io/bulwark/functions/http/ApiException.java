package io.bulwark.functions.http;

/**
 * A request the caller must fix (a 4xx), or one the service knows it cannot serve right now (503), answered with
 * {@code status} and an {@link ApiError}. Thrown by function code; turned into a response at the edge, never
 * logged with a stack trace. Anything else unexpected is a bug, and a 500 from {@link FunctionDispatcher}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final ApiError body;

    public ApiException(int status, String error, String message, String field) {
        super(message, null, false, false);
        if ((status < 400 || status > 499) && status != 503) {
            throw new IllegalArgumentException("an ApiException is a 4xx or a 503: " + status);
        }
        this.status = status;
        this.body = new ApiError(error, message, field);
    }

    /** 400 for a field that is missing, empty, of the wrong type or out of range. */
    public static ApiException badField(String error, String field, String message) {
        return new ApiException(400, error, message, field);
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return body;
    }
}
