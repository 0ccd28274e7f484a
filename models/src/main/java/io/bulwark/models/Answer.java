package io.bulwark.models;

import java.util.Map;

/**
 * A classifier's answer for one input.
 *
 * @param prediction    the label, or {@code uncertain} when the confidence is below the threshold
 * @param bestGuess     the most likely label when {@code prediction} is {@code uncertain}, else null
 * @param confidence    the probability of the most likely label
 * @param probabilities every label's probability, by label
 */
public record Answer(String prediction, String bestGuess, double confidence, Map<String, Double> probabilities) {

    public static final String UNCERTAIN = "uncertain";

    public Answer {
        probabilities = Map.copyOf(probabilities);
    }

    public boolean uncertain() {
        return bestGuess != null;
    }
}
