package io.bulwark.models.penguins;

import java.util.Locale;
import java.util.Optional;

/**
 * An island of the Palmer Archipelago where the penguins were measured.
 */
public enum Island {
    BISCOE("Biscoe"), DREAM("Dream"), TORGERSEN("Torgersen");

    private final String wire;

    Island(String wire) {
        this.wire = wire;
    }

    /** Returns the name as it appears in the data and on the wire, e.g. {@code Biscoe}. */
    public String wire() {
        return wire;
    }

    /** Returns the island named {@code text}, ignoring case and surrounding white space. */
    public static Optional<Island> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Island i : values()) {
            if (i.wire.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
