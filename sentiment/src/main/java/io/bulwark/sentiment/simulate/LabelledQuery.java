package io.bulwark.sentiment.simulate;

import io.bulwark.sentiment.SentimentLabel;

import java.util.Objects;

/**
 * A sentence of the labelled corpus the workload is drawn from, with its known label.
 */
public record LabelledQuery(String text, SentimentLabel label) {
    public LabelledQuery {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }
}
