package io.bulwark.chaos.experiment;

import org.junit.jupiter.api.Test;

import io.bulwark.chaos.FaultPlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.bulwark.chaos.experiment.Runs.body;
import static io.bulwark.chaos.experiment.Runs.ok;
import static org.assertj.core.api.Assertions.assertThat;

class HypothesisTest {

    private static Check.Verdict verdict(RunResult run, String name) {
        return Hypothesis.check(run).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().verdict();
    }

    @Test
    void should_hold_for_good_answers_and_not_apply_breaker_clauses_without_an_outage() {
        List<Check> checks = Hypothesis.check(Runs.run(Runs.good(100)));

        assertThat(Hypothesis.holds(checks)).isTrue();
        assertThat(checks).extracting(Check::name).containsExactly("well-formed", "no-5xx", "no-exception",
                "p95-within-deadline", "degraded-labelled", "no-wrong-llm-answer", "healthy-provider-serves",
                "breaker-opens", "breaker-closes", "llm-share");
        assertThat(checks.subList(7, 10)).allMatch(c -> c.verdict() == Check.Verdict.NOT_APPLICABLE);
    }

    @Test
    void should_hold_a_two_provider_scenario_to_its_degraded_share_target() {
        Scenario twoProviders = new Scenario("two", "two providers", FaultPlan.none(), Duration.ofSeconds(10), null,
                FaultPlan.none(), new Scenario.Target(0.02, Duration.ofSeconds(1)));
        List<Observation> oneDegraded = new ArrayList<>(Runs.good(99));
        oneDegraded.add(Runs.observe(99, ok(body("positive", "local", "local_model", true), 5)));
        List<Observation> threeDegraded = new ArrayList<>(Runs.good(97));
        for (int i = 97; i < 100; i++) {
            threeDegraded.add(Runs.observe(i, ok(body("positive", "local", "local_model", true), 5)));
        }

        assertThat(verdict(Runs.run(twoProviders, oneDegraded, List.of(), new long[100]), "llm-share"))
                .isEqualTo(Check.Verdict.PASS);
        assertThat(verdict(Runs.run(twoProviders, threeDegraded, List.of(), new long[100]), "llm-share"))
                .as("3% degraded, target 2%").isEqualTo(Check.Verdict.FAIL);
    }

    @Test
    void should_fail_on_a_single_5xx_an_escaped_exception_or_a_mislabelled_answer() {
        List<Observation> with5xx = new ArrayList<>(Runs.good(99));
        with5xx.add(Runs.observe(99, new Reply(500, new byte[0], Duration.ofMillis(1), null)));
        List<Observation> withException = new ArrayList<>(Runs.good(99));
        withException.add(Runs.observe(99, Reply.escaped(new NullPointerException(), Duration.ZERO)));
        List<Observation> mislabelled = new ArrayList<>(Runs.good(99));
        mislabelled.add(Runs.observe(99, ok(body("positive", "local", "local_model", false), 5)));

        assertThat(verdict(Runs.run(with5xx), "no-5xx")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(with5xx), "well-formed")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(withException), "no-exception")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(mislabelled), "degraded-labelled")).isEqualTo(Check.Verdict.FAIL);
    }

    @Test
    void should_fail_when_an_llm_answer_differs_from_the_truth_but_not_when_a_degraded_one_does() {
        List<Observation> wrongLlm = new ArrayList<>(Runs.good(99));
        wrongLlm.add(Runs.observe(99, ok(body("negative", "llm-cheap", null, false), 5)));
        List<Observation> wrongLocal = new ArrayList<>(Runs.good(99));
        wrongLocal.add(Runs.observe(99, ok(body("negative", "local", "local_model", true), 5)));

        assertThat(verdict(Runs.run(wrongLlm), "no-wrong-llm-answer")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(wrongLocal), "no-wrong-llm-answer")).isEqualTo(Check.Verdict.PASS);
    }

    @Test
    void should_fail_when_a_healthy_provider_is_cut_off_or_an_answer_degraded_without_faults() {
        List<Observation> oneDegraded = new ArrayList<>(Runs.good(99));
        oneDegraded.add(Runs.observe(99, ok(body("positive", "local", "local_model", true), 1900)));
        RunResult opened = Runs.run(Runs.PLAIN, Runs.good(100), List.of(new BreakerEvent(1, 5, "CLOSED", "OPEN")),
                new long[100]);

        assertThat(verdict(Runs.run(oneDegraded), "healthy-provider-serves")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(opened, "healthy-provider-serves")).isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(Runs.good(100)), "healthy-provider-serves")).isEqualTo(Check.Verdict.PASS);
    }

    @Test
    void should_fail_when_the_95th_percentile_is_past_the_deadline() {
        List<Observation> slow = new ArrayList<>(Runs.good(90));
        for (int i = 90; i < 100; i++) {
            slow.add(Runs.observe(i, ok(body("positive", "llm-cheap", null, false), 2500)));
        }

        assertThat(verdict(Runs.run(slow), "p95-within-deadline")).isEqualTo(Check.Verdict.FAIL);
    }

    @Test
    void should_require_the_breaker_to_open_within_the_limit_and_close_after_the_outage() {
        long[] failing = new long[100];
        for (int i = 30; i < 100; i++) {
            failing[i] = Math.min(60, i - 29) + (i >= 60 ? 0 : 0);
        }
        List<BreakerEvent> good = List.of(new BreakerEvent(3.5, 35, "CLOSED", "OPEN"),
                new BreakerEvent(7.0, 70, "OPEN", "HALF_OPEN"), new BreakerEvent(7.1, 70, "HALF_OPEN", "CLOSED"));
        List<BreakerEvent> late = List.of(new BreakerEvent(5.0, 50, "CLOSED", "OPEN"),
                new BreakerEvent(7.1, 70, "OPEN", "CLOSED"));
        List<BreakerEvent> stuck = List.of(new BreakerEvent(3.5, 35, "CLOSED", "OPEN"));

        RunResult ok = Runs.run(Runs.OUTAGE, Runs.good(100), good, failing);
        assertThat(verdict(ok, "breaker-opens")).isEqualTo(Check.Verdict.PASS);
        assertThat(verdict(ok, "breaker-closes")).isEqualTo(Check.Verdict.PASS);
        assertThat(verdict(Runs.run(Runs.OUTAGE, Runs.good(100), late, failing), "breaker-opens"))
                .isEqualTo(Check.Verdict.FAIL); // 21 failures before it opened; the limit is 10
        assertThat(verdict(Runs.run(Runs.OUTAGE, Runs.good(100), stuck, failing), "breaker-closes"))
                .isEqualTo(Check.Verdict.FAIL);
        assertThat(verdict(Runs.run(Runs.OUTAGE, Runs.good(100), List.of(), failing), "breaker-opens"))
                .isEqualTo(Check.Verdict.FAIL);
    }

    @Test
    void should_take_nearest_rank_percentiles() {
        Percentiles p = Percentiles.of(new double[]{5, 1, 4, 2, 3, 6, 7, 8, 9, 10});

        assertThat(p.at(0.5)).isEqualTo(5);
        assertThat(p.at(0.95)).isEqualTo(10);
        assertThat(p.max()).isEqualTo(10);
        assertThat(Percentiles.of(new double[0]).at(0.5)).isZero();
    }
}
