package io.bulwark.state;

/**
 * Whether the shared state answers, for meters and the {@code shared_state_unavailable} alert.
 */
public interface SharedStateHealth {

    /** Returns true while the last command succeeded (or none failed since the connection opened). */
    boolean available();

    /** Returns how many commands failed or were skipped because Redis was away. */
    long failures();

    /** Returns how many times shared state came back after being away. */
    long recoveries();
}
