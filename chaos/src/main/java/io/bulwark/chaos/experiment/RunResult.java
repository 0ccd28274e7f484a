package io.bulwark.chaos.experiment;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run recorded: each request as checked, the breaker's state changes, and what was injected.
 *
 * @param failingCallsAfter for each request, the provider calls so far that got a certainly-failing fault
 * @param injected          provider calls by fault code ({@code none} for ordinary answers), sorted by code
 * @param elapsedSeconds    the time from the first request's arrival to the last answer
 * @param serverChecks      what the target of a {@link ServerKill} checked after the run (empty without one)
 */
public record RunResult(Experiment experiment, String mode, List<Observation> observations,
                        List<BreakerEvent> breakerEvents, long[] failingCallsAfter, Map<String, Long> injected,
                        long providerCalls, double elapsedSeconds, List<Check> serverChecks) {

    /** The result of a run with no server killed. */
    public RunResult(Experiment experiment, String mode, List<Observation> observations,
                     List<BreakerEvent> breakerEvents, long[] failingCallsAfter, Map<String, Long> injected,
                     long providerCalls, double elapsedSeconds) {
        this(experiment, mode, observations, breakerEvents, failingCallsAfter, injected, providerCalls,
                elapsedSeconds, List.of());
    }

    public RunResult {
        Objects.requireNonNull(experiment, "experiment");
        observations = List.copyOf(observations);
        breakerEvents = List.copyOf(breakerEvents);
        serverChecks = List.copyOf(serverChecks);
        // sorted, so that reports list it in the same order in every JVM (Map.copyOf's order is salted)
        injected = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(injected));
    }

    /** Returns the span of the run in seconds. */
    public double spanSeconds() {
        return experiment.scenario().span().toNanos() / 1e9;
    }

    /** Returns the seconds after the start at which the request at {@code position} of the run arrived. */
    public double arrivedAt(double position) {
        int i = requestAt(position);
        return i >= observations.size() ? elapsedSeconds : observations.get(i).atSeconds();
    }

    /** Returns the first request at or after {@code position} of the run. */
    public int requestAt(double position) {
        return (int) Math.ceil(position * experiment.requests());
    }
}
