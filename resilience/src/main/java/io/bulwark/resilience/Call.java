package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;

/**
 * One attempt at answering a request within a deadline.
 */
@FunctionalInterface
public interface Call<Q, V> {

    /**
     * Answers {@code request}.
     *
     * @throws BoundaryFailure when it cannot
     */
    V call(Q request, Deadline deadline);
}
