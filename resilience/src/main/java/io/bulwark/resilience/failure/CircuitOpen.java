package io.bulwark.resilience.failure;

/**
 * A failure meaning the circuit breaker refused the call without trying the provider.
 */
public final class CircuitOpen extends BoundaryFailure {

    public CircuitOpen(String message) {
        this(message, null);
    }

    public CircuitOpen(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureType type() {
        return FailureType.CIRCUIT_OPEN;
    }

    @Override
    public boolean retriable() {
        return true;
    }

    @Override
    public boolean countsAgainstProvider() {
        return false;
    }
}
