package io.bulwark.resilience;

import java.util.function.Consumer;

/**
 * How the instances of a fleet tell each other that a model's circuit breaker opened, so that the others skip the
 * model at once instead of each paying for the outage to find it (Redis pub/sub, in the {@code state} module). The
 * others open their own breaker, which then tries the model again after its own wait (its half-open trial).
 * Neither method may block a request.
 */
public interface BreakerNews {

    /** Tells the other instances that this instance's breaker of {@code model} opened; returns at once. */
    void opened(String model);

    /** Registers what to do when another instance's breaker of a model opens (called on a background thread). */
    void onOpened(Consumer<String> listener);

    /** No fleet: nothing is told or heard. */
    BreakerNews NONE = new BreakerNews() {
        @Override
        public void opened(String model) {
        }

        @Override
        public void onOpened(Consumer<String> listener) {
        }

        @Override
        public String toString() {
            return "none";
        }
    };
}
