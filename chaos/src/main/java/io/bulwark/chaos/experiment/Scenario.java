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
 * after it).
 *
 * @param span       the time the run's requests are spread over (simulated in-process, paced over HTTP)
 * @param outage     the total-outage window, or null
 * @param serverKill a real server killed and restarted during the run (its target must own that server), or null
 */
public record Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage,
                       ServerKill serverKill) {

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

    /** A scenario whose faults are all the LLM's. */
    public Scenario(String name, String summary, FaultPlan plan, Duration span, Schedule.Window outage) {
        this(name, summary, plan, span, outage, null);
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
        return new Scenario(name, summary, plan, span, outage, serverKill);
    }
}
