package io.bulwark.functions.http;

/**
 * One finished call of a {@link JsonFunction}, as its observers see it.
 *
 * @param function     the function's name (its path)
 * @param status       the HTTP status it answered with (500 when it threw)
 * @param latencyNanos time spent inside the function
 * @param body         the answer before serialisation (a function's response record, an {@link ApiError}),
 *                     or null when it threw
 * @param requestId    the request's id (the caller's {@code X-Request-Id}, the platform's, or a new one); null when
 *                     the call was not dispatched (tests)
 */
public record FunctionCall(String function, int status, long latencyNanos, Object body, String requestId) {

    /** A call without a request id. */
    public FunctionCall(String function, int status, long latencyNanos, Object body) {
        this(function, status, latencyNanos, body, null);
    }

    /** Returns the latency in milliseconds. */
    public double latencyMs() {
        return latencyNanos / 1e6;
    }
}
