package io.bulwark.resilience;

import java.util.Objects;

/**
 * An answer together with how it was obtained: the tier and model that produced it, the fallback
 * that was taken (null when the first choice answered), and whether it is degraded.
 *
 * <p>Degraded answers are honest but of lesser quality than what was asked for; they are never cached.
 */
public record Outcome<V>(V value, Tier tier, String model, String fallback, boolean degraded) {

    public Outcome {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(model, "model");
    }

    /** Returns an answer of the first choice, without fallback. */
    public static <V> Outcome<V> direct(V value, Route<?, V> route) {
        return new Outcome<>(value, route.tier(), route.model(), null, false);
    }
}
