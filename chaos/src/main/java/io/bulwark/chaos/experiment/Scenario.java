package io.bulwark.chaos.experiment;

import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.Schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named chaos experiment: a fault plan, the time its traffic is spread over, and, when the plan takes
 * the provider down completely for a while, that outage window (the breaker must open in it and close
 * after it). A scenario of two providers also has the second provider's plan: the cheap tier is then provider A
 * (the first plan, whose breaker the outage checks watch) and provider B (the second), of equal weight.
 *
 * @param span       the time the run's requests are spread over (simulated in-process, paced over HTTP)
 * @param outage     the total-outage window, or null
 * @param second     the plan of provider B, or null for one provider
 * @param target     what the answers must reach beyond the steady state (issue 20's targets), or null
 * @param serverKill a real server killed and restarted during the run (its target must own that server), or null
 */
public record Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage,
                       FaultPlan second, Target target, ServerKill serverKill) {

    /**
     * A target of a scenario: at most this share of degraded answers, and a p95 latency within this.
     *
     * @param maxDegraded the largest share (0..1) of answers from the local model or the template
     * @param p95         the largest 95th percentile latency
     */
    public record Target(double maxDegraded, Duration p95) {
        public Target {
            if (!(maxDegraded >= 0 && maxDegraded <= 1)) {
                throw new IllegalArgumentException("maxDegraded must be within 0..1: " + maxDegraded);
            }
            Objects.requireNonNull(p95, "p95");
        }
    }

    /** A scenario of one provider without a target, whose faults are all the LLM's. */
    public Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage) {
        this(name, summary, plan, span, outage, null, null, null);
    }

    /** A scenario of two providers (or one with a target). */
    public Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage,
                    FaultPlan second, Target target) {
        this(name, summary, plan, span, outage, second, target, null);
    }

    /** A scenario of one provider that kills a real server during the run. */
    public Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage,
                    ServerKill serverKill) {
        this(name, summary, plan, span, outage, null, null, serverKill);
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public Scenario {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a scenario name is lower-case words joined by '-': " + name);
        }
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(span, "span");
        if (span.isNegative() || span.isZero()) {
            throw new IllegalArgumentException("span must be positive: " + span);
        }
    }


    /** Returns the server killed and restarted during the run, if any. */
    public Optional<ServerKill> serverKillPlan() {
        return Optional.ofNullable(serverKill);
    }

    /** Returns the outage window, if the plan has one. */
    public Optional<Schedule.Window> outageWindow() {
        return Optional.ofNullable(outage);
    }

    /** Returns this scenario spread over another span. */
    public Scenario withSpan(Duration span) {
        return new Scenario(name, summary, plan, span, outage, second, target, serverKill);
    }

    /** Returns provider B's plan, if the scenario has two providers. */
    public Optional<FaultPlan> secondProvider() {
        return Optional.ofNullable(second);
    }

    /** Returns the scenario's target, if it has one. */
    public Optional<Target> targets() {
        return Optional.ofNullable(target);
    }
}
