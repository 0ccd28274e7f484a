package io.bulwark.resilience;

/**
 * A source of monotonic time in nanoseconds. Injected everywhere time matters so tests control it.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current reading in nanoseconds; only differences between readings are meaningful. */
    long read();

    /** Returns the ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
