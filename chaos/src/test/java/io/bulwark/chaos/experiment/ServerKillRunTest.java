package io.bulwark.chaos.experiment;

import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.sentiment.SentimentLabel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run that kills and restarts a server: when the runner does it, and what the hypothesis adds. */
class ServerKillRunTest {

    static final Scenario KILL = new Scenario("kill", "a server killed at 30%, back at 60%", FaultPlan.none(),
            Duration.ofSeconds(10), null, new ServerKill("test-server", 0.3, 0.6));

    /** A target in simulated seconds whose answers take 100 ms, slower (3 s) while its server is down if asked. */
    static final class Fake implements Target, ServerControl {
        final List<String> log = new ArrayList<>();
        final boolean slowWhileDown;
        double now;
        int sent;
        boolean down;

        Fake(boolean slowWhileDown) {
            this.slowWhileDown = slowWhileDown;
        }

        @Override
        public Reply send(String text) {
            log.add("send " + sent++);
            return Runs.ok(Runs.body("positive", "llm-cheap", null, false), down && slowWhileDown ? 3_000 : 100);
        }

        @Override
        public double now() {
            return now;
        }

        @Override
        public void waitUntil(double seconds) {
            now = seconds;
        }

        @Override
        public List<BreakerEvent> breakerChanges(int request) {
            return List.of();
        }

        @Override
        public String mode() {
            return "fake";
        }

        @Override
        public void close() {
        }

        @Override
        public void kill() {
            log.add("kill");
            down = true;
        }

        @Override
        public void restart() {
            log.add("restart");
            down = false;
        }

        @Override
        public List<Check> afterRestart() {
            log.add("checked");
            return List.of(Check.of("shared-again", true, "fake"));
        }
    }

    private static RunResult run(Fake target) {
        Experiment e = new Experiment(KILL, 10, 1, Duration.ofSeconds(2), 10);
        Traffic traffic = new Traffic(List.of(new Traffic.Item("Fine.", SentimentLabel.POSITIVE)), 0, 1, "t");
        return ChaosRunner.run(e, target, target, new FaultInjector(FaultPlan.none(), 1), traffic, i -> { });
    }

    @Test
    void should_kill_before_the_request_due_at_the_kill_and_restart_before_the_one_due_at_the_restart() {
        Fake target = new Fake(false);

        RunResult result = run(target);

        assertThat(target.log).containsExactly("send 0", "send 1", "send 2", "kill", "send 3", "send 4", "send 5",
                "restart", "send 6", "send 7", "send 8", "send 9", "checked");
        List<Check> checks = Hypothesis.check(result);
        assertThat(checks).extracting(Check::name).endsWith("answered-while-down", "shared-again");
        assertThat(Hypothesis.holds(checks)).isTrue();
        assertThat(checks.get(checks.size() - 2).detail()).startsWith("3 requests while test-server was down, 4 after");
    }

    @Test
    void should_fail_the_hypothesis_when_an_answer_while_the_server_is_down_overruns_the_deadline() {
        List<Check> checks = Hypothesis.check(run(new Fake(true)));

        Check down = checks.stream().filter(c -> c.name().equals("answered-while-down")).findFirst().orElseThrow();
        assertThat(down.verdict()).isEqualTo(Check.Verdict.FAIL);
        assertThat(down.detail()).contains("slowest 3000 ms while down");
    }

    @Test
    void should_refuse_a_server_scenario_without_a_control_and_add_nothing_to_other_scenarios() {
        Experiment e = new Experiment(KILL, 10, 1, Duration.ofSeconds(2), 10);
        Traffic traffic = new Traffic(List.of(new Traffic.Item("Fine.", SentimentLabel.POSITIVE)), 0, 1, "t");

        assertThatThrownBy(() -> ChaosRunner.run(e, new Fake(false), new FaultInjector(FaultPlan.none(), 1), traffic,
                i -> { })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kills a server");
        assertThat(Hypothesis.check(Runs.run(Runs.good(10)))).extracting(Check::name)
                .doesNotContain("answered-while-down");
    }
}
