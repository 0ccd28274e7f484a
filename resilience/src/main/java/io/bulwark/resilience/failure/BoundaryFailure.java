package io.bulwark.resilience.failure;

/**
 * A failure of a call behind the error boundary, typed so that every policy decides by type and
 * never by message text. Provider errors are mapped into this hierarchy once, at the edge.
 */
public abstract sealed class BoundaryFailure extends RuntimeException
        permits RateLimited, TimedOut, Unavailable, MalformedResponse, InvalidRequest, AuthFailed,
                CircuitOpen, BudgetExceeded, Throttled {

    protected BoundaryFailure(String message, Throwable cause) {
        // No stack trace: failures are expected control flow on the hot path and are never shown.
        super(message, cause, false, false);
    }

    /** Returns the kind of failure. */
    public abstract FailureType type();

    /** Returns true if the same call may succeed when tried again. */
    public abstract boolean retriable();

    /** Returns true if this failure says something about the provider's health. */
    public boolean countsAgainstProvider() {
        return true;
    }
}
