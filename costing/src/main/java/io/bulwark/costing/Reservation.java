package io.bulwark.costing;

/**
 * Money held by a {@link DailyBudget} for one paid call, from before the call until its answer: settled with what
 * the answer cost, or released when there is none. Either ends it; a second end is ignored.
 */
public interface Reservation {

    /** Charges {@code usd}, the call's real cost, in place of the money held. */
    void settle(double usd);

    /** Frees the money held: the call failed before an answer. */
    void release();

    /** Returns the money held. */
    double heldUsd();
}
