package io.bulwark.chaos.experiment;

import io.bulwark.chaos.Schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steady-state hypothesis every scenario is held to: whatever the provider does,
 * <ol>
 *   <li>{@code well-formed}: every response is a 200 with a body by the contract;</li>
 *   <li>{@code no-5xx}: no response is a 5xx;</li>
 *   <li>{@code no-exception}: no exception escapes the function (over HTTP: no broken exchange);</li>
 *   <li>{@code p95-within-deadline}: the 95th percentile latency is within the deadline;</li>
 *   <li>{@code degraded-labelled}: tier, fallback and degraded agree on every answer;</li>
 *   <li>{@code no-wrong-llm-answer}: no answer from the LLM or the cache differs from the truth (broken
 *       content is never passed off as an answer);</li>
 *   <li>{@code healthy-provider-serves} (scenarios without faults): no answer is degraded and the breaker
 *       never leaves CLOSED — a healthy provider is not cut off (this caught a cold client timing out);</li>
 *   <li>{@code breaker-opens} (scenarios with an outage): the breaker is open after at most
 *       {@link Experiment#breakerOpensWithin()} failed calls into the outage;</li>
 *   <li>{@code breaker-closes} (scenarios with an outage): it closes after the outage and is closed at the end;</li>
 *   <li>{@code llm-share} (scenarios with a {@link Scenario.Target}): the share of answers from an LLM (or the
 *       cache of LLM answers) is high enough that the degraded share stays within the target, every LLM answer is
 *       right, and the p95 latency is within the target's;</li>
 *   <li>{@code answered-while-down} (scenarios that kill a server): every request from the kill to the end of the run
 *       (while the server was down, and after its restart while the instances find it again) was answered by the
 *       contract, each within the deadline (the maximum, not only p95);</li>
 *   <li>then the target's own checks of what must come back with the server ({@link ServerControl#afterRestart}).</li>
 * </ol>
 */
public final class Hypothesis {

    private Hypothesis() {
    }

    /** Returns the verdict on each clause, in the order above. */
    public static List<Check> check(RunResult run) {
        List<Observation> obs = run.observations();
        List<Check> checks = new ArrayList<>();
        long malformed = obs.stream().filter(o -> !o.wellFormed()).count();
        checks.add(Check.of("well-formed", malformed == 0, malformed + " of " + obs.size() + " malformed"
                + firstProblem(obs.stream().filter(o -> !o.wellFormed()).map(Observation::shapeProblem).toList())));
        long fiveXx = obs.stream().filter(o -> o.status() >= 500).count();
        checks.add(Check.of("no-5xx", fiveXx == 0, fiveXx + " responses with a 5xx"));
        long escaped = obs.stream().filter(o -> o.exception() != null).count();
        checks.add(Check.of("no-exception", escaped == 0, escaped + " exceptions escaped"
                + firstProblem(obs.stream().map(Observation::exception).filter(e -> e != null).toList())));
        double p95 = Percentiles.of(obs.stream().mapToDouble(Observation::latencyMs).toArray()).at(0.95);
        long deadlineMs = run.experiment().deadline().toMillis();
        checks.add(Check.of("p95-within-deadline", p95 <= deadlineMs,
                String.format(java.util.Locale.ROOT, "p95 %.0f ms, deadline %d ms", p95, deadlineMs)));
        long mislabelled = obs.stream().filter(o -> o.labelProblem() != null).count();
        checks.add(Check.of("degraded-labelled", mislabelled == 0, mislabelled + " answers mislabelled"
                + firstProblem(obs.stream().map(Observation::labelProblem).filter(p -> p != null).toList())));
        long wrong = obs.stream().filter(o -> o.wellFormed() && o.tier() != null
                && (o.tier().startsWith("llm-") || "cache".equals(o.tier())) && !o.correct()).count();
        checks.add(Check.of("no-wrong-llm-answer", wrong == 0, wrong + " LLM or cache answers differ from the truth"));
        if (run.experiment().scenario().plan().rules().isEmpty()) {
            long degraded = obs.stream().filter(o -> o.wellFormed() && o.degraded()).count();
            checks.add(Check.of("healthy-provider-serves", degraded == 0 && run.breakerEvents().isEmpty(),
                    degraded + " degraded answers, " + run.breakerEvents().size() + " breaker transitions"));
        } else {
            checks.add(new Check("healthy-provider-serves", Check.Verdict.NOT_APPLICABLE, "faults are injected"));
        }
        Optional<Schedule.Window> outage = run.experiment().scenario().outageWindow();
        if (outage.isEmpty()) {
            checks.add(new Check("breaker-opens", Check.Verdict.NOT_APPLICABLE, "no outage in this scenario"));
            checks.add(new Check("breaker-closes", Check.Verdict.NOT_APPLICABLE, "no outage in this scenario"));
        } else {
            checks.add(opens(run, outage.get()));
            checks.add(closes(run, outage.get()));
        }
        checks.add(llmShare(run, p95));
        run.experiment().scenario().serverKillPlan().ifPresent(kill -> checks.add(answeredWhileDown(run, kill)));
        checks.addAll(run.serverChecks());
        return checks;
    }

    private static Check answeredWhileDown(RunResult run, ServerKill kill) {
        int n = run.experiment().requests();
        List<Observation> down = run.observations().stream().filter(o -> kill.down(o.index(), n)).toList();
        List<Observation> after = run.observations().stream()
                .filter(o -> !kill.down(o.index(), n) && o.index() >= (int) Math.ceil(kill.killAt() * n)).toList();
        long bad = java.util.stream.Stream.concat(down.stream(), after.stream()).filter(o -> !o.wellFormed()).count();
        double maxDown = down.stream().mapToDouble(Observation::latencyMs).max().orElse(0);
        Observation slowestAfter = after.stream().max(java.util.Comparator.comparingDouble(Observation::latencyMs))
                .orElse(null);
        double maxAfter = slowestAfter == null ? 0 : slowestAfter.latencyMs();
        long deadlineMs = run.experiment().deadline().toMillis();
        return Check.of("answered-while-down", !down.isEmpty() && bad == 0 && maxDown <= deadlineMs
                && maxAfter <= deadlineMs, String.format(java.util.Locale.ROOT, "%d requests while %s was down, %d"
                + " after its restart: %d not answered by the contract; slowest %.0f ms while down, %.0f ms after"
                + " (request %d); deadline %d ms", down.size(), kill.server(), after.size(), bad, maxDown, maxAfter,
                slowestAfter == null ? -1 : slowestAfter.index(), deadlineMs));
    }

    private static Check llmShare(RunResult run, double p95) {
        Optional<Scenario.Target> target = run.experiment().scenario().targets();
        List<Observation> obs = run.observations();
        long llm = obs.stream().filter(o -> o.wellFormed() && o.tier() != null
                && (o.tier().startsWith("llm-") || "cache".equals(o.tier()))).count();
        long right = obs.stream().filter(o -> o.wellFormed() && o.tier() != null
                && (o.tier().startsWith("llm-") || "cache".equals(o.tier())) && o.correct()).count();
        long degraded = obs.stream().filter(o -> o.wellFormed() && o.degraded()).count();
        int n = Math.max(1, obs.size());
        String detail = String.format(java.util.Locale.ROOT, "LLM answers %.1f%% (%d of %d correct), degraded %.1f%%",
                100.0 * llm / n, right, llm, 100.0 * degraded / n);
        if (target.isEmpty()) {
            return new Check("llm-share", Check.Verdict.NOT_APPLICABLE, detail + "; no target");
        }
        Scenario.Target t = target.get();
        boolean held = degraded <= t.maxDegraded() * obs.size() && right == llm && p95 <= t.p95().toMillis();
        return Check.of("llm-share", held, detail + String.format(java.util.Locale.ROOT,
                ", target ≤ %.0f%%; p95 %.0f ms, target ≤ %d ms", 100 * t.maxDegraded(), p95, t.p95().toMillis()));
    }

    /** Returns true if every applicable clause held. */
    public static boolean holds(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.verdict() == Check.Verdict.FAIL);
    }

    private static Check opens(RunResult run, Schedule.Window outage) {
        int start = run.requestAt(outage.from());
        int end = run.requestAt(outage.to());
        int limit = run.experiment().breakerOpensWithin();
        String before = stateBefore(run, start);
        if (!"CLOSED".equals(before)) {
            return Check.of("breaker-opens", true, "already " + before + " when the outage began");
        }
        long failedBefore = start == 0 ? 0 : run.failingCallsAfter()[start - 1];
        for (BreakerEvent e : run.breakerEvents()) {
            if (e.request() >= start && e.request() < end && "OPEN".equals(e.to())) {
                long failures = run.failingCallsAfter()[e.request()] - failedBefore;
                return Check.of("breaker-opens", failures <= limit, String.format(java.util.Locale.ROOT,
                        "opened at %.1f s (request %d) after %d failed calls; limit %d", e.atSeconds(), e.request(),
                        failures, limit));
            }
        }
        return Check.of("breaker-opens", false, "did not open during the outage (requests " + start + ".." + (end - 1) + ")");
    }

    private static Check closes(RunResult run, Schedule.Window outage) {
        int end = run.requestAt(outage.to());
        String last = stateBefore(run, Integer.MAX_VALUE);
        Optional<BreakerEvent> closed = run.breakerEvents().stream()
                .filter(e -> e.request() >= end && "CLOSED".equals(e.to())).findFirst();
        if (closed.isEmpty()) {
            return Check.of("breaker-closes", false, "did not close after the outage ended (request " + end
                    + "); state at the end: " + last);
        }
        return Check.of("breaker-closes", "CLOSED".equals(last), String.format(java.util.Locale.ROOT,
                "closed at %.1f s (request %d), %.1f s after the outage ended; state at the end: %s",
                closed.get().atSeconds(), closed.get().request(), closed.get().atSeconds() - run.arrivedAt(outage.to()), last));
    }

    /** The breaker state before request {@code index} started (CLOSED if nothing happened yet). */
    private static String stateBefore(RunResult run, int index) {
        String state = "CLOSED";
        for (BreakerEvent e : run.breakerEvents()) {
            if (e.request() < index) {
                state = e.to();
            }
        }
        return state;
    }

    private static String firstProblem(List<String> problems) {
        return problems.isEmpty() ? "" : "; first: " + problems.getFirst();
    }
}
