package io.bulwark.models;

import java.util.Map;

/**
 * A classifier's answer for one penguin.
 *
 * @param prediction    the species, or {@code uncertain} when the confidence is below the threshold
 * @param bestGuess     the most likely species when {@code prediction} is {@code uncertain}, else null
 * @param confidence    the probability of the most likely species
 * @param probabilities every species' probability, by name
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
