package io.bulwark.sentiment;

import java.util.Locale;
import java.util.Optional;

/**
 * The labels an answer may carry. {@link #UNCERTAIN} is only ever produced by the boundary itself,
 * never accepted from a provider.
 */
public enum SentimentLabel {
    POSITIVE,
    NEGATIVE,
    NEUTRAL,
    UNCERTAIN;

    /** Returns the lower-case name used on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label a provider may give (positive, negative, neutral), ignoring case and blanks. */
    public static Optional<SentimentLabel> fromProvider(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "positive" -> Optional.of(POSITIVE);
            case "negative" -> Optional.of(NEGATIVE);
            case "neutral" -> Optional.of(NEUTRAL);
            default -> Optional.empty();
        };
    }
}
