package io.bulwark.chaos.experiment;

import io.bulwark.sentiment.SentimentLabel;

/**
 * One request of a run as checked against the contract.
 *
 * @param shapeProblem what is wrong with the response's form (null if it is well-formed)
 * @param labelProblem what is wrong with how it labels its tier, fallback and degradation (null if nothing)
 */
public record Observation(int index, double atSeconds, int status, double latencyMs, String exception,
                          String shapeProblem, String labelProblem, String sentiment, SentimentLabel truth,
                          String tier, String fallback, boolean degraded, double costUsd) {

    /** Returns true if the response is a 200 with a body by the contract. */
    public boolean wellFormed() {
        return exception == null && shapeProblem == null;
    }

    /** Returns true if the answer is the true label. */
    public boolean correct() {
        return truth.wire().equals(sentiment);
    }
}
