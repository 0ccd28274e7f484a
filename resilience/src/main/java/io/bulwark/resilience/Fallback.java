package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;

/**
 * One step of the fallback chain: it decides by the failure's type whether it applies, and either
 * answers or throws a failure that the next steps then see.
 */
public interface Fallback<Q, V> {

    /** Returns the name reported as {@code fallback} with answers this step produced. */
    String name();

    /** Returns true if this step may answer after {@code failure}. */
    boolean canHandle(BoundaryFailure failure);

    /**
     * Answers after the first choice failed.
     *
     * @throws BoundaryFailure when this step cannot answer either; later steps see that failure
     */
    Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline);

    /** Returns a one-line description for the printed chain. */
    String describe();
}
