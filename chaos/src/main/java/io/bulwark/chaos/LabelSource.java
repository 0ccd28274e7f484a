package io.bulwark.chaos;

import io.bulwark.resilience.Deadline;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The "true" sentiment of a text, as a perfect LLM would judge it: what the fake LLM answers when no
 * fault is injected, and what a run checks answers against.
 */
@FunctionalInterface
public interface LabelSource {

    /** The confidence a fake LLM gives its answers. */
    double CONFIDENCE = 0.95;

    /** Returns the true label of {@code text}. */
    SentimentLabel label(String text);

    /** Always {@code label}. */
    static LabelSource constant(SentimentLabel label) {
        Objects.requireNonNull(label, "label");
        return text -> label;
    }

    /** The label in {@code labels} by exact text, else what {@code otherwise} says. */
    static LabelSource of(Map<String, SentimentLabel> labels, LabelSource otherwise) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(otherwise, "otherwise");
        return text -> {
            SentimentLabel l = labels.get(text);
            return l != null ? l : otherwise.label(text);
        };
    }

    /** A crude keyword judge for texts without a known label: positive or negative words, else neutral. */
    static LabelSource keywords() {
        Set<String> positive = Set.of("good", "great", "love", "excellent", "amazing", "happy", "best", "nice");
        Set<String> negative = Set.of("bad", "terrible", "hate", "awful", "worst", "broke", "poor", "disappointed");
        return text -> {
            int score = 0;
            for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                score += positive.contains(w) ? 1 : negative.contains(w) ? -1 : 0;
            }
            return score > 0 ? SentimentLabel.POSITIVE : score < 0 ? SentimentLabel.NEGATIVE : SentimentLabel.NEUTRAL;
        };
    }

    /**
     * Returns an in-process provider named {@code model} that answers this source's label with
     * {@link #CONFIDENCE} and the same token usage the {@link FakeLlmServer} reports.
     */
    default SentimentProvider asProvider(String model) {
        Objects.requireNonNull(model, "model");
        LabelSource self = this;
        return new SentimentProvider() {
            @Override
            public String model() {
                return model;
            }

            @Override
            public Sentiment classify(String text, Deadline deadline) {
                return new Sentiment(self.label(text), CONFIDENCE, Completions.usage(text));
            }
        };
    }
}
