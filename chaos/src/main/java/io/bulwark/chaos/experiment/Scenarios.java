package io.bulwark.chaos.experiment;

import io.bulwark.chaos.Fault;
import io.bulwark.chaos.Fault.Content;
import io.bulwark.chaos.Fault.RetryAfter;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.Latency;
import io.bulwark.chaos.Schedule;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

/**
 * The named scenarios of the chaos suite. Each spreads its traffic over {@link #SPAN} (two minutes), long
 * enough for the default circuit breaker (30 s open) to open and close again.
 */
public final class Scenarios {

    /** The time every scenario's traffic is spread over. */
    public static final Duration SPAN = ofSeconds(120);
    /** How long a hanging provider stays silent: well past the default 2 s deadline. */
    public static final Duration HANG = ofSeconds(5);
    /** A cheap model's usual latency. */
    public static final Latency BASE = Latency.logNormal(ofMillis(250), 0.35);

    /** Seed 003's flaky_llm_call: 30% rate limit, 20% time-out, 20% invalid, 30% success. */
    private static final FaultPlan FLAKY_MIX = FaultPlan.builder().baseLatency(BASE)
            .during(Schedule.always())
            .inject(0.15, Fault.rateLimit(RetryAfter.MILLIS, ofMillis(300)))
            .inject(0.15, Fault.rateLimit(RetryAfter.NONE, Duration.ZERO))
            .inject(0.20, Fault.hang(HANG))
            .inject(0.05, Fault.malformed(Content.PROSE))
            .inject(0.05, Fault.malformed(Content.TRUNCATED_JSON))
            .inject(0.05, Fault.malformed(Content.UNKNOWN_LABEL))
            .inject(0.05, Fault.malformed(Content.CONFIDENCE_OUT_OF_RANGE))
            .build();
    /** A healthy provider. */
    private static final FaultPlan HEALTHY = FaultPlan.builder().baseLatency(BASE).build();
    /** Issue 20's target with a healthy second provider: at most 2% degraded, p95 within 1 s. */
    private static final Scenario.Target TWO_PROVIDERS = new Scenario.Target(0.02, ofSeconds(1));

    private static final List<Scenario> ALL = List.of(
            new Scenario("steady", "no faults: the baseline every other scenario is compared with",
                    FaultPlan.builder().baseLatency(BASE).build(), SPAN, null),
            new Scenario("flaky-mix", "seed 003's flaky_llm_call: 30% rate limit, 20% time-out, 20% invalid, 30% success",
                    FLAKY_MIX, SPAN, null),
            new Scenario("latency-tail", "a log-normal latency with a heavy tail, plus 5% of calls 1-3 s slower",
                    FaultPlan.builder().baseLatency(Latency.logNormal(ofMillis(300), 0.9))
                            .during(Schedule.always())
                            .inject(0.05, Fault.delay(Latency.uniform(ofSeconds(1), ofSeconds(3))))
                            .build(), SPAN, null),
            new Scenario("rate-limit-storm", "bursts of 429s (retry-after-ms, Retry-After seconds and date, none)",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.bursts(0.05, 0.2, 0.08))
                            .inject(0.3, Fault.rateLimit(RetryAfter.MILLIS, ofMillis(200)))
                            .inject(0.2, Fault.rateLimit(RetryAfter.SECONDS, ofSeconds(1)))
                            .inject(0.2, Fault.rateLimit(RetryAfter.HTTP_DATE, ofSeconds(1)))
                            .inject(0.2, Fault.rateLimit(RetryAfter.NONE, Duration.ZERO))
                            .during(Schedule.always())
                            .inject(0.05, Fault.rateLimit(RetryAfter.MILLIS, ofMillis(100)))
                            .build(), SPAN, null),
            new Scenario("brown-out", "a window where 45% of calls fail with 500/502/503 and 30% are slow",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.window(0.4, 0.7))
                            .inject(0.15, Fault.serverError(500))
                            .inject(0.15, Fault.serverError(502))
                            .inject(0.15, Fault.serverError(503))
                            .inject(0.30, Fault.delay(Latency.uniform(ofMillis(300), ofMillis(1500))))
                            .build(), SPAN, null),
            new Scenario("outage-recovery", "total outage (503, resets, empty answers) from 30% to 60% of the run, then recovery",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.window(0.3, 0.6))
                            .inject(0.5, Fault.serverError(503))
                            .inject(0.3, Fault.connectionReset())
                            .inject(0.2, Fault.emptyResponse())
                            .build(), SPAN, new Schedule.Window(0.3, 0.6)),
            new Scenario("garbage", "answers that break the contract: prose, cut JSON, unknown labels, confidence out of range, "
                    + "empty content, bodies cut half way, 200 error objects",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.always())
                            .inject(0.06, Fault.malformed(Content.PROSE))
                            .inject(0.06, Fault.malformed(Content.TRUNCATED_JSON))
                            .inject(0.06, Fault.malformed(Content.UNKNOWN_LABEL))
                            .inject(0.06, Fault.malformed(Content.CONFIDENCE_OUT_OF_RANGE))
                            .inject(0.06, Fault.malformed(Content.EMPTY))
                            .inject(0.06, Fault.partialResponse())
                            .inject(0.06, Fault.errorObject())
                            .build(), SPAN, null),
            new Scenario("network", "a bad network: resets, empty answers, bodies cut half way, slow drips, hangs",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.always())
                            .inject(0.05, Fault.connectionReset())
                            .inject(0.05, Fault.emptyResponse())
                            .inject(0.05, Fault.partialResponse())
                            .inject(0.10, Fault.slowDrip(5, Latency.uniform(ofMillis(200), ofSeconds(3))))
                            .inject(0.05, Fault.hang(HANG))
                            .build(), SPAN, null),
            new Scenario("everything", "every fault at a low steady rate, rate-limit bursts and a brown-out",
                    FaultPlan.builder().baseLatency(Latency.logNormal(ofMillis(250), 0.5))
                            .during(Schedule.bursts(0.1, 0.25, 0.05))
                            .inject(0.8, Fault.rateLimit(RetryAfter.MILLIS, ofMillis(250)))
                            .during(Schedule.window(0.5, 0.65))
                            .inject(0.5, Fault.serverError(503))
                            .inject(0.2, Fault.delay(Latency.uniform(ofMillis(500), ofSeconds(2))))
                            .during(Schedule.always())
                            .inject(0.02, Fault.rateLimit(RetryAfter.SECONDS, ofSeconds(1)))
                            .inject(0.02, Fault.rateLimit(RetryAfter.NONE, Duration.ZERO))
                            .inject(0.02, Fault.hang(HANG))
                            .inject(0.02, Fault.serverError(500))
                            .inject(0.02, Fault.connectionReset())
                            .inject(0.02, Fault.emptyResponse())
                            .inject(0.02, Fault.malformed(Content.PROSE))
                            .inject(0.02, Fault.malformed(Content.UNKNOWN_LABEL))
                            .inject(0.02, Fault.partialResponse())
                            .inject(0.02, Fault.slowDrip(4, Latency.uniform(ofMillis(200), ofSeconds(2))))
                            .inject(0.02, Fault.errorObject())
                            .build(), SPAN, null),
            new Scenario("two-providers-flaky-a", "two providers of equal weight: A in seed 003's flaky mix, B healthy",
                    FLAKY_MIX, SPAN, null, HEALTHY, TWO_PROVIDERS),
            new Scenario("two-providers-outage-a", "two providers: A down (503, resets, empty answers) from 30% to 60%"
                    + " of the run, then back; B healthy",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.window(0.3, 0.6))
                            .inject(0.5, Fault.serverError(503))
                            .inject(0.3, Fault.connectionReset())
                            .inject(0.2, Fault.emptyResponse())
                            .build(), SPAN, new Schedule.Window(0.3, 0.6), HEALTHY, TWO_PROVIDERS),
            new Scenario("two-providers-down-and-limited", "two providers: A down all along (503), B answers 429 to"
                    + " 30% of calls (Retry-After 1 s or none)",
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.always())
                            .inject(1.0, Fault.serverError(503))
                            .build(), SPAN, null,
                    FaultPlan.builder().baseLatency(BASE)
                            .during(Schedule.always())
                            .inject(0.15, Fault.rateLimit(RetryAfter.SECONDS, ofSeconds(1)))
                            .inject(0.15, Fault.rateLimit(RetryAfter.NONE, Duration.ZERO))
                            .build(), null),
            new Scenario("two-providers-slow", "two providers, both slow: median 700 ms with a heavy tail, 10% of"
                    + " calls 1-3 s slower",
                    FaultPlan.builder().baseLatency(Latency.logNormal(ofMillis(700), 0.5))
                            .during(Schedule.always())
                            .inject(0.10, Fault.delay(Latency.uniform(ofSeconds(1), ofSeconds(3))))
                            .build(), SPAN, null,
                    FaultPlan.builder().baseLatency(Latency.logNormal(ofMillis(700), 0.5))
                            .during(Schedule.always())
                            .inject(0.10, Fault.delay(Latency.uniform(ofSeconds(1), ofSeconds(3))))
                            .build(), null));

    /**
     * Shared state lost and found: a healthy LLM, two instances sharing a real Redis, the Redis killed (SIGKILL) a third
     * of the way through and started again at two thirds. Real time, so a shorter span.
     */
    public static final Scenario REDIS_KILLED = new Scenario("redis-killed",
            "two instances share a real Redis; redis-server is killed (SIGKILL) at 33% of the run and restarted at 67%",
            FaultPlan.none(), ofSeconds(60), null, new ServerKill("redis-server", 1 / 3.0, 2 / 3.0));

    /** The scenarios that kill a real server: run in real time by a target that owns it, not part of {@link #all()}. */
    private static final List<Scenario> SERVERS = List.of(REDIS_KILLED);

    private Scenarios() {
    }

    /** Returns every scenario of the LLM's faults, in report order (those that kill a server are apart). */
    public static List<Scenario> all() {
        return ALL;
    }

    /** Returns the scenarios that kill a real server (shared state), which need a target owning that server. */
    public static List<Scenario> servers() {
        return SERVERS;
    }

    /** Returns the scenario called {@code name}. */
    public static Optional<Scenario> named(String name) {
        return java.util.stream.Stream.concat(ALL.stream(), SERVERS.stream()).filter(s -> s.name().equals(name))
                .findFirst();
    }

    /** Returns the names, comma-separated, for usage messages. */
    public static String names() {
        return java.util.stream.Stream.concat(ALL.stream(), SERVERS.stream()).map(Scenario::name)
                .collect(Collectors.joining(", "));
    }
}
