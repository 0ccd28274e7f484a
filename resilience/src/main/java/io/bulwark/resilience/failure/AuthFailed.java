package io.bulwark.resilience.failure;

/**
 * A failure meaning the provider rejected the credentials (401, 403).
 */
public final class AuthFailed extends BoundaryFailure {

    public AuthFailed(String message) {
        this(message, null);
    }

    public AuthFailed(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.AUTH;
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
