package io.bulwark.resilience.failure;

/**
 * A failure meaning the provider rejected the request as invalid (4xx other than 401, 403, 408, 429).
 */
public final class InvalidRequest extends BoundaryFailure {

    public InvalidRequest(String message) {
        this(message, null);
    }

    public InvalidRequest(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.INVALID_REQUEST;
    }

    @Override
    public boolean retriable() {
        return false;
    }

    @Override
    public boolean countsAgainstProvider() {
        return false;
    }
}
