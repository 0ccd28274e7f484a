package io.bulwark.resilience.failure;

/**
 * A failure meaning the provider is down, overloaded or unreachable (5xx, reset connection).
 */
public final class Unavailable extends BoundaryFailure {

    public Unavailable(String message) {
        this(message, null);
    }

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.UNAVAILABLE;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
