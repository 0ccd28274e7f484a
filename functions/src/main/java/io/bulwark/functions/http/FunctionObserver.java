package io.bulwark.functions.http;

import java.util.List;

/**
 * Hears every call of every {@link JsonFunction}, on every runtime. Implementations must be fast and
 * thread-safe, and must not throw.
 */
@FunctionalInterface
public interface FunctionObserver {

    /** A function answered (or threw). */
    void onCall(FunctionCall call);

    /** Returns an observer that tells each of {@code observers} in turn. */
    static FunctionObserver all(List<FunctionObserver> observers) {
        List<FunctionObserver> copy = List.copyOf(observers);
        return call -> copy.forEach(o -> o.onCall(call));
    }

    /** An observer that does nothing. */
    FunctionObserver NONE = call -> {
    };
}
