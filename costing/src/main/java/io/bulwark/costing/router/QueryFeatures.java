package io.bulwark.costing.router;

import io.bulwark.costing.DailyBudget;

/**
 * What the cost router knows about a query before answering it.
 *
 * @param words           the number of words
 * @param negation        whether the text negates (not, never, n't, ...)
 * @param contrast        whether it contrasts (but, however, although, ...)
 * @param sarcasm         whether it carries a sarcasm cue (yeah right, oh great, ...)
 * @param localConfidence the local model's confidence in its own label, 0.5..1
 * @param complexity      the combined estimate, 0 (trivial) .. 1 (hard); see {@link ComplexityEstimator}
 * @param budget          the state of today's budget
 */
public record QueryFeatures(int words, boolean negation, boolean contrast, boolean sarcasm, double localConfidence,
                            double complexity, DailyBudget.State budget) {

    /** Returns true if the text carries any negation, contrast or sarcasm cue. */
    public boolean hasMarkers() {
        return negation || contrast || sarcasm;
    }

    /** Returns the cues found, for the decision's reason, e.g. {@code negation+contrast}, or {@code none}. */
    public String markers() {
        StringBuilder sb = new StringBuilder();
        if (negation) {
            sb.append("negation");
        }
        if (contrast) {
            sb.append(sb.isEmpty() ? "" : "+").append("contrast");
        }
        if (sarcasm) {
            sb.append(sb.isEmpty() ? "" : "+").append("sarcasm");
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
