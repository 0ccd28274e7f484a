package io.bulwark.chaos.experiment;

import io.bulwark.chaos.FaultInjector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Runs an {@link Experiment} against a {@link Target}: sends its requests one after another, each due at
 * an even share of the scenario's span (in simulated time they arrive when due; in real time a slow answer
 * delays the next request), moves the {@link FaultInjector} along the plan, and records each response as
 * checked against the contract.
 */
public final class ChaosRunner {

    private ChaosRunner() {
    }

    /**
     * Runs {@code experiment}; {@code injector} must be the one behind {@code target}'s provider and
     * {@code traffic}'s truth the one its answers come from. {@code progress} hears the requests done.
     */
    public static RunResult run(Experiment experiment, Target target, FaultInjector injector, Traffic traffic,
                                IntConsumer progress) {
        if (experiment.scenario().serverKill() != null) {
            throw new IllegalArgumentException("scenario " + experiment.scenario().name() + " kills a server: run it"
                    + " with the target's ServerControl");
        }
        return run(experiment, target, null, injector, traffic, progress);
    }

    /**
     * Runs {@code experiment} as {@link #run(Experiment, Target, FaultInjector, Traffic, IntConsumer)} does, and kills
     * and restarts the server of its {@link ServerKill} through {@code control} before the requests due at those
     * points; the control's checks after the run join the result.
     */
    public static RunResult run(Experiment experiment, Target target, ServerControl control, FaultInjector injector,
                                Traffic traffic, IntConsumer progress) {
        Objects.requireNonNull(target, "target");
        ServerKill kill = experiment.scenario().serverKill();
        if (kill != null) {
            Objects.requireNonNull(control, "control: the scenario kills " + kill.server());
        }
        Objects.requireNonNull(injector, "injector");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(progress, "progress");
        int n = experiment.requests();
        double span = experiment.scenario().span().toNanos() / 1e9;
        List<Observation> observations = new ArrayList<>(n);
        List<BreakerEvent> events = new ArrayList<>();
        long[] failing = new long[n];
        for (int i = 0; i < n; i++) {
            injector.position((double) i / n);
            target.waitUntil(i * span / n);
            if (kill != null && kill.killsBefore(i, n)) {
                control.kill();
            }
            if (kill != null && kill.restartsBefore(i, n)) {
                control.restart();
            }
            Traffic.Item item = traffic.next(i);
            double at = target.now();
            Reply reply = target.send(item.text());
            observations.add(ResponseCheck.check(i, at, reply, item.truth()));
            events.addAll(target.breakerChanges(i));
            failing[i] = injector.failingCalls();
            progress.accept(i + 1);
        }
        double elapsed = Math.max(target.now(), observations.getLast().atSeconds() + observations.getLast().latencyMs() / 1e3);
        return new RunResult(experiment, target.mode(), observations, events, failing, injector.injected(),
                injector.calls(), elapsed, kill == null ? List.of() : control.afterRestart());
    }
}
