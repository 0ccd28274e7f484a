package io.bulwark.models.penguins;

import java.util.Locale;
import java.util.Optional;

/**
 * A penguin's sex as recorded; {@link #UNKNOWN} where the data has none (or {@code "."}).
 */
public enum Sex {
    MALE("male"), FEMALE("female"), UNKNOWN("unknown");

    private final String wire;

    Sex(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Returns the sex named {@code text} ({@code male}, {@code female}, {@code unknown}), ignoring case. */
    public static Optional<Sex> parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Sex s : values()) {
            if (s.wire.equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
