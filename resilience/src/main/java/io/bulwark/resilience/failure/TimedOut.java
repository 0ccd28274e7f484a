package io.bulwark.resilience.failure;

/**
 * A failure meaning the call did not finish within its time budget.
 */
public final class TimedOut extends BoundaryFailure {

    public TimedOut(String message) {
        this(message, null);
    }

    public TimedOut(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.TIMED_OUT;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
