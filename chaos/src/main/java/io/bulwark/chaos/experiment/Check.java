package io.bulwark.chaos.experiment;

import java.util.Objects;

/**
 * The verdict on one clause of the steady-state hypothesis.
 */
public record Check(String name, Verdict verdict, String detail) {

    /** Whether the clause held. */
    public enum Verdict {
        PASS, FAIL,
        /** The clause does not apply to this scenario (e.g. breaker recovery without an outage). */
        NOT_APPLICABLE
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    /** A clause that applies: PASS when {@code held}, else FAIL. */
    public static Check of(String name, boolean held, String detail) {
        return new Check(name, held ? Verdict.PASS : Verdict.FAIL, detail);
    }
}
