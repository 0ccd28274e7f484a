package io.bulwark.sentiment.local;

import io.bulwark.sentiment.SentimentLabel;

import java.util.Objects;

/**
 * A sentence with its known sentiment, {@link SentimentLabel#POSITIVE} or {@link SentimentLabel#NEGATIVE}
 * (the training data is binary).
 */
public record LabelledText(String text, SentimentLabel label) {

    public LabelledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (label != SentimentLabel.POSITIVE && label != SentimentLabel.NEGATIVE) {
            throw new IllegalArgumentException("label must be POSITIVE or NEGATIVE: " + label);
        }
    }

    /** Returns a positive example. */
    public static LabelledText positive(String text) {
        return new LabelledText(text, SentimentLabel.POSITIVE);
    }

    /** Returns a negative example. */
    public static LabelledText negative(String text) {
        return new LabelledText(text, SentimentLabel.NEGATIVE);
    }

    /** Returns true for a positive example. */
    public boolean isPositive() {
        return label == SentimentLabel.POSITIVE;
    }
}
