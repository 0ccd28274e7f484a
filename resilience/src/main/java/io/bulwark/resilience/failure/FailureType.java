package io.bulwark.resilience.failure;

/**
 * The closed set of ways a call can fail, as counted in metrics and reported on the wire.
 */
public enum FailureType {
    RATE_LIMITED("rate_limited"),
    TIMED_OUT("timed_out"),
    UNAVAILABLE("unavailable"),
    MALFORMED_RESPONSE("malformed_response"),
    INVALID_REQUEST("invalid_request"),
    AUTH("auth"),
    CIRCUIT_OPEN("circuit_open"),
    BUDGET_EXCEEDED("budget_exceeded"),
    /** Our own per-model rate limit refused the call before it reached the provider. */
    THROTTLED("throttled");

    private final String code;

    FailureType(String code) {
        this.code = code;
    }

    /** Returns the snake-case name used in metrics and logs. */
    public String code() {
        return code;
    }
}
