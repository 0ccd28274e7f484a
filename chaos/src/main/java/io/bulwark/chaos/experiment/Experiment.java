package io.bulwark.chaos.experiment;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one run: the scenario, how many requests, the seed, and what the hypothesis holds the
 * target to.
 *
 * @param deadline           the target's whole-request deadline: p95 latency must stay within it
 * @param breakerOpensWithin the most provider failures, counted from the start of an outage, after which
 *                           the breaker must be open (failure-rate threshold × sliding window)
 */
public record Experiment(Scenario scenario, int requests, long seed, Duration deadline, int breakerOpensWithin) {

    /** The most requests one run may have. */
    public static final int MAX_REQUESTS = 10_000_000;

    public Experiment {
        Objects.requireNonNull(scenario, "scenario");
        if (requests < 1 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("requests must be within 1.." + MAX_REQUESTS + ": " + requests);
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        if (breakerOpensWithin < 1) {
            throw new IllegalArgumentException("breakerOpensWithin must be at least 1: " + breakerOpensWithin);
        }
    }

    /** Returns the failures after which a breaker with this threshold (%) and window must be open. */
    public static int opensWithin(float failureRateThreshold, int slidingWindowSize) {
        return (int) Math.ceil(failureRateThreshold / 100.0 * slidingWindowSize);
    }
}
