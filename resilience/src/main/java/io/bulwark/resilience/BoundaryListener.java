package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;

/**
 * Hears what happens inside an error boundary. Implementations must be fast and thread-safe, and must
 * not throw.
 */
public interface BoundaryListener {

    /** A request entered the boundary. */
    default void onRequest() {
    }

    /** {@code step} (the first choice's model, or a fallback's name) failed with {@code failure}. */
    default void onFailure(String step, BoundaryFailure failure) {
    }

    /** The boundary answered. */
    default void onOutcome(Outcome<?> outcome) {
    }

    /** A circuit breaker changed state. */
    default void onTransition(Breaker.Transition transition) {
    }

    /** A listener that does nothing. */
    BoundaryListener NONE = new BoundaryListener() {
    };
}
