package io.bulwark.resilience;

import java.time.Duration;

/**
 * A way to wait. Injected so that tests can advance a fake {@link Ticker} instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for the given duration, or less if interrupted. */
    void sleep(Duration duration) throws InterruptedException;

    /** Returns the sleeper backed by {@link Thread#sleep(Duration)}. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
