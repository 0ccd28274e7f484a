package io.bulwark.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Decides, call by call, what a {@link FaultPlan} injects, from a seeded generator: the same plan, seed,
 * and sequence of positions give the same decisions. Shared by both injection points (the in-process
 * {@link ChaosProvider} and the {@link FakeLlmServer}); thread-safe.
 */
public final class FaultInjector {

    /** The generator algorithm: fixed, so that a seed means the same on every JDK. */
    public static final String ALGORITHM = "L64X128MixRandom";

    private final FaultPlan plan;
    private final RandomGenerator random;
    private final Map<String, Long> injected = new TreeMap<>();
    private double position;
    private long calls;
    private long failing;

    public FaultInjector(FaultPlan plan, long seed) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.random = RandomGeneratorFactory.of(ALGORITHM).create(seed);
    }

    /** Sets where the run is, from 0 (first request) towards 1; calls from now on are decided there. */
    public synchronized void position(double position) {
        if (!(position >= 0 && position < 1)) {
            throw new IllegalArgumentException("position must be within [0, 1): " + position);
        }
        this.position = position;
    }

    /** Decides the next call. */
    public synchronized Injection next() {
        Duration base = plan.baseLatency().sample(random);
        Fault chosen = null;
        for (FaultPlan.Rule rule : plan.rules()) {
            double u = random.nextDouble();
            if (!rule.schedule().active(position)) {
                continue;
            }
            double cumulative = 0;
            for (FaultPlan.Weighted w : rule.faults()) {
                cumulative += w.probability();
                if (u < cumulative) {
                    chosen = w.fault();
                    break;
                }
            }
            if (chosen != null) {
                break;
            }
        }
        Duration delay = switch (chosen) {
            case null -> base;
            case Fault.Delay d -> base.plus(d.latency().sample(random));
            case Fault.SlowDrip s -> s.total().sample(random);
            case Fault.Hang h -> h.duration();
            default -> Duration.ZERO;
        };
        Injection injection = new Injection(chosen, delay);
        calls++;
        if (chosen != null && chosen.failing()) {
            failing++;
        }
        injected.merge(injection.code(), 1L, Long::sum);
        return injection;
    }

    /** Returns the calls decided so far. */
    public synchronized long calls() {
        return calls;
    }

    /** Returns the calls so far that got a fault which certainly fails ({@link Fault#failing()}). */
    public synchronized long failingCalls() {
        return failing;
    }

    /** Returns the calls so far by fault code ({@code none} for ordinary answers), sorted by code. */
    public synchronized Map<String, Long> injected() {
        return new TreeMap<>(injected);
    }

    /** Returns the plan. */
    public FaultPlan plan() {
        return plan;
    }
}
