package io.bulwark.sentiment;

import java.util.Objects;

/**
 * A sentiment judgement: a label, the confidence in it (0..1) and what it cost in tokens.
 */
public record Sentiment(SentimentLabel label, double confidence, TokenUsage usage) {

    public Sentiment {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(usage, "usage");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within 0..1: " + confidence);
        }
    }

    /** Returns a judgement that consumed no tokens. */
    public static Sentiment of(SentimentLabel label, double confidence) {
        return new Sentiment(label, confidence, TokenUsage.NONE);
    }
}
