package io.bulwark.functions.config;

import io.bulwark.state.SharedState;

import java.util.Optional;

/**
 * This instance's link to the state its fleet shares, or none (in-process state, the default): the one bean the
 * budget, the rate limits and the breakers read to know whether they are shared.
 */
public record Fleet(Optional<SharedState> shared) implements AutoCloseable {

    /** No fleet: every piece of state stays in process. */
    static Fleet alone() {
        return new Fleet(Optional.empty());
    }

    @Override
    public void close() {
        shared.ifPresent(SharedState::close);
    }
}
