package io.bulwark.state;

/**
 * Thrown by a shared-state operation when Redis could not answer in time (down, slow, not yet connected): the caller
 * decides from in-process state instead. Carries no stack trace: it is expected control flow while Redis is away.
 */
public final class SharedStateUnavailable extends RuntimeException {

    public SharedStateUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
