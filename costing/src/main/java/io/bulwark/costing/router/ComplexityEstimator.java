package io.bulwark.costing.router;

import io.bulwark.costing.DailyBudget;

import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Estimates how hard a query is to classify, from its length, its negation / contrast / sarcasm cues, and how
 * sure the local model is about it:
 * <pre>
 * complexity = min(1, 0.5 × uncertainty + 0.15 × negation + 0.3 × contrast + 0.4 × sarcasm + 0.15 × long)
 * uncertainty = 2 × (1 − local confidence)      (0 when the local model is sure, 1 at a coin flip)
 * long        = more than {@value #LONG_WORDS} words
 * </pre>
 * The weights say which cues make a sentence hard for a bag-of-words model: contrast and sarcasm flip the
 * overall polarity against most of the words; negation is partly handled by the local model's negation scope.
 */
public final class ComplexityEstimator {

    /** Texts longer than this many words count as long. */
    public static final int LONG_WORDS = 30;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern NEGATION = Pattern.compile(
            "\\b(not|no|never|nothing|nobody|none|neither|nor|cannot|without|hardly|barely|\\w+n't)\\b");
    private static final Pattern CONTRAST = Pattern.compile(
            "\\b(but|however|although|though|yet|except|despite|nevertheless|nonetheless|whereas|otherwise"
                    + "|on the other hand|only problem|only downside)\\b");
    private static final Pattern SARCASM = Pattern.compile(
            "(\\byeah,? right\\b|\\boh,? (great|wonderful|joy|sure)\\b|\\bjust what i (needed|wanted)\\b"
                    + "|\\bthanks a lot\\b|\\bas if\\b|/s\\b|\\bwhat a (joy|treat)\\b|\\bso-called\\b"
                    + "|\\blove (how|that) it (breaks|broke|fails|failed|died|stopped)\\b|\"\\w+\")");

    private final ToDoubleFunction<String> positiveProbability;

    /** @param positiveProbability the local model's probability that a text is positive */
    public ComplexityEstimator(ToDoubleFunction<String> positiveProbability) {
        this.positiveProbability = Objects.requireNonNull(positiveProbability, "positiveProbability");
    }

    /** Returns the features of {@code text} under today's budget {@code budget}. */
    public QueryFeatures features(String text, DailyBudget.State budget) {
        String lower = text.toLowerCase(Locale.ROOT).replace('’', '\'');
        int words = (int) WORD.matcher(lower).results().count();
        boolean negation = NEGATION.matcher(lower).find();
        boolean contrast = CONTRAST.matcher(lower).find();
        boolean sarcasm = SARCASM.matcher(lower).find();
        double p = positiveProbability.applyAsDouble(text);
        double confidence = Math.max(p, 1 - p);
        double uncertainty = 2 * (1 - confidence);
        double complexity = Math.min(1.0, 0.5 * uncertainty + (negation ? 0.15 : 0) + (contrast ? 0.3 : 0)
                + (sarcasm ? 0.4 : 0) + (words > LONG_WORDS ? 0.15 : 0));
        return new QueryFeatures(words, negation, contrast, sarcasm, confidence, complexity, budget);
    }
}
