package io.bulwark.sentiment.local;

import io.bulwark.sentiment.SentimentLabel;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How well a classifier did on labelled texts: the confusion counts of the two true classes against the
 * predictions POSITIVE, NEGATIVE or anything else ("unanswered", e.g. NEUTRAL or UNCERTAIN from a provider
 * that may abstain; always zero for {@link LocalSentimentModel}). Unanswered texts count as wrong.
 *
 * @param truePositives       positive texts predicted POSITIVE
 * @param falseNegatives      positive texts predicted NEGATIVE
 * @param positivesUnanswered positive texts given another label
 * @param trueNegatives       negative texts predicted NEGATIVE
 * @param falsePositives      negative texts predicted POSITIVE
 * @param negativesUnanswered negative texts given another label
 */
public record Evaluation(int truePositives, int falseNegatives, int positivesUnanswered,
                         int trueNegatives, int falsePositives, int negativesUnanswered) {

    public Evaluation {
        if (truePositives < 0 || falseNegatives < 0 || positivesUnanswered < 0
                || trueNegatives < 0 || falsePositives < 0 || negativesUnanswered < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Evaluates {@code classifier} on {@code examples}. */
    public static Evaluation of(List<LabelledText> examples, Function<String, SentimentLabel> classifier) {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(classifier, "classifier");
        int tp = 0;
        int fn = 0;
        int pu = 0;
        int tn = 0;
        int fp = 0;
        int nu = 0;
        for (LabelledText example : examples) {
            SentimentLabel predicted = classifier.apply(example.text());
            if (example.isPositive()) {
                if (predicted == SentimentLabel.POSITIVE) {
                    tp++;
                } else if (predicted == SentimentLabel.NEGATIVE) {
                    fn++;
                } else {
                    pu++;
                }
            } else {
                if (predicted == SentimentLabel.NEGATIVE) {
                    tn++;
                } else if (predicted == SentimentLabel.POSITIVE) {
                    fp++;
                } else {
                    nu++;
                }
            }
        }
        return new Evaluation(tp, fn, pu, tn, fp, nu);
    }

    /** Returns the number of texts evaluated. */
    public int total() {
        return positives() + negatives();
    }

    /** Returns the number of positive texts. */
    public int positives() {
        return truePositives + falseNegatives + positivesUnanswered;
    }

    /** Returns the number of negative texts. */
    public int negatives() {
        return trueNegatives + falsePositives + negativesUnanswered;
    }

    /** Returns the share of texts given their true label, 0 when there were none. */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /**
     * Returns the share of {@code label} predictions that were right, 0 when there were none.
     *
     * @param label POSITIVE or NEGATIVE
     */
    public double precision(SentimentLabel label) {
        return switch (binary(label)) {
            case POSITIVE -> ratio(truePositives, truePositives + falsePositives);
            default -> ratio(trueNegatives, trueNegatives + falseNegatives);
        };
    }

    /**
     * Returns the share of texts truly {@code label} that were predicted so, 0 when there were none.
     *
     * @param label POSITIVE or NEGATIVE
     */
    public double recall(SentimentLabel label) {
        return switch (binary(label)) {
            case POSITIVE -> ratio(truePositives, positives());
            default -> ratio(trueNegatives, negatives());
        };
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Evaluation[n=%d, accuracy=%.4f, positive P/R=%.4f/%.4f, negative P/R=%.4f/%.4f, "
                        + "TP=%d FN=%d TN=%d FP=%d unanswered=%d/%d]",
                total(), accuracy(), precision(SentimentLabel.POSITIVE), recall(SentimentLabel.POSITIVE),
                precision(SentimentLabel.NEGATIVE), recall(SentimentLabel.NEGATIVE),
                truePositives, falseNegatives, trueNegatives, falsePositives, positivesUnanswered,
                negativesUnanswered);
    }

    private static SentimentLabel binary(SentimentLabel label) {
        if (label != SentimentLabel.POSITIVE && label != SentimentLabel.NEGATIVE) {
            throw new IllegalArgumentException("precision and recall are defined for POSITIVE and NEGATIVE: "
                    + label);
        }
        return label;
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
