package io.bulwark.resilience.failure;

/**
 * A failure meaning the provider answered, but not by the output contract.
 */
public final class MalformedResponse extends BoundaryFailure {

    public MalformedResponse(String message) {
        this(message, null);
    }

    public MalformedResponse(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.MALFORMED_RESPONSE;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
