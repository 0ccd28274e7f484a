package io.bulwark.chaos;

import java.time.Duration;
import java.util.Objects;

/**
 * The decision for one call: the fault to inject (null for an ordinary answer) and how long the call
 * takes before it answers or fails: the base latency, plus a {@link Fault.Delay}'s, or a
 * {@link Fault.SlowDrip}'s or {@link Fault.Hang}'s whole duration.
 */
public record Injection(Fault fault, Duration delay) {

    public Injection {
        Objects.requireNonNull(delay, "delay");
    }

    /** Returns true if the call ends with an ordinary answer (possibly late). */
    public boolean answers() {
        return fault == null || fault instanceof Fault.Delay || fault instanceof Fault.SlowDrip
                || fault instanceof Fault.Hang;
    }

    /** Returns the code counted in reports: the fault's, or {@code none}. */
    public String code() {
        return fault == null ? "none" : fault.code();
    }
}
