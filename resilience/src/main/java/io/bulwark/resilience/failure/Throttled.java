package io.bulwark.resilience.failure;

/**
 * A failure meaning our own rate limit of a model ({@code bulwark.llm.limits.<model>.rpm} / {@code .tpm}, shared by
 * the fleet) refused the call before it reached the provider: the request goes to a cheaper tier instead of waiting.
 */
public final class Throttled extends BoundaryFailure {

    public Throttled(String message) {
        super(message, null);
    }

    @Override
    public FailureType type() {
        return FailureType.THROTTLED;
    }

    @Override
    public boolean retriable() {
        return true;
    }

    /** The provider was never asked: this says nothing of its health. */
    @Override
    public boolean countsAgainstProvider() {
        return false;
    }
}
