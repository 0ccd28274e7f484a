package io.bulwark.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FaultPlanTest {

    private static final Fault RESET = Fault.connectionReset();

    @Test
    void should_refuse_fault_probabilities_of_a_rule_adding_up_to_more_than_one() {
        FaultPlan.Builder b = FaultPlan.builder().during(Schedule.always()).inject(0.6, RESET);

        assertThatThrownBy(() -> b.inject(0.5, Fault.serverError(503)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("> 1");
    }

    @Test
    void should_refuse_a_fault_before_a_schedule_and_a_second_base_latency() {
        assertThatThrownBy(() -> FaultPlan.builder().inject(0.1, RESET)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultPlan.builder().baseLatency(Latency.NONE).baseLatency(Latency.NONE))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_refuse_invalid_settings_at_once() {
        assertThatThrownBy(() -> Fault.serverError(404)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.window(0.6, 0.3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.bursts(0, 0.1, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latency.uniform(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.slowDrip(1, Latency.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultPlan.Weighted(0, RESET)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_apply_a_window_only_within_it_and_bursts_periodically() {
        Schedule window = Schedule.window(0.3, 0.6);
        assertThat(window.active(0.29)).isFalse();
        assertThat(window.active(0.3)).isTrue();
        assertThat(window.active(0.6)).isFalse();

        Schedule bursts = Schedule.bursts(0.1, 0.25, 0.05);
        assertThat(bursts.active(0.05)).isFalse();
        assertThat(bursts.active(0.12)).isTrue();
        assertThat(bursts.active(0.2)).isFalse();
        assertThat(bursts.active(0.36)).isTrue();
        assertThat(bursts.windows()).hasSize(4);
    }

    @Test
    void should_inject_each_fault_about_as_often_as_planned() {
        FaultPlan plan = FaultPlan.builder().during(Schedule.always())
                .inject(0.3, Fault.rateLimit(Fault.RetryAfter.NONE, Duration.ZERO))
                .inject(0.2, Fault.hang(Duration.ofSeconds(5)))
                .build();
        FaultInjector injector = new FaultInjector(plan, 1);
        for (int i = 0; i < 20_000; i++) {
            injector.next();
        }

        assertThat(injector.injected().get("rate_limit") / 20_000.0).isCloseTo(0.3, within(0.015));
        assertThat(injector.injected().get("timeout") / 20_000.0).isCloseTo(0.2, within(0.015));
        assertThat(injector.failingCalls()).isEqualTo(injector.injected().get("timeout"));
    }

    @Test
    void should_let_the_first_active_rule_decide_and_skip_inactive_ones() {
        FaultPlan plan = FaultPlan.builder()
                .during(Schedule.window(0.5, 1)).inject(1.0, Fault.serverError(503))
                .during(Schedule.always()).inject(1.0, RESET)
                .build();
        FaultInjector injector = new FaultInjector(plan, 1);

        injector.position(0.2);
        assertThat(injector.next().fault()).isEqualTo(RESET);
        injector.position(0.7);
        assertThat(injector.next().fault()).isEqualTo(Fault.serverError(503));
    }

    @Test
    void should_make_the_same_decisions_for_the_same_seed_and_others_for_another() {
        FaultPlan plan = FaultPlan.builder().baseLatency(Latency.logNormal(Duration.ofMillis(200), 0.8))
                .during(Schedule.always()).inject(0.5, RESET).build();

        assertThat(decisions(plan, 7)).isEqualTo(decisions(plan, 7)).isNotEqualTo(decisions(plan, 8));
    }

    @Test
    void should_add_a_delay_to_the_base_latency_and_take_a_hang_for_its_whole_duration() {
        FaultPlan delayed = FaultPlan.builder().baseLatency(Latency.fixed(Duration.ofMillis(100)))
                .during(Schedule.always()).inject(1.0, Fault.delay(Latency.fixed(Duration.ofMillis(900)))).build();
        FaultPlan hung = FaultPlan.builder().baseLatency(Latency.fixed(Duration.ofMillis(100)))
                .during(Schedule.always()).inject(1.0, Fault.hang(Duration.ofSeconds(5))).build();

        assertThat(new FaultInjector(delayed, 1).next().delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new FaultInjector(hung, 1).next().delay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_keep_log_normal_samples_around_the_median_with_a_tail() {
        Latency l = Latency.logNormal(Duration.ofMillis(300), 0.9);
        var random = java.util.random.RandomGeneratorFactory.of(FaultInjector.ALGORITHM).create(3);
        int below = 0;
        int tail = 0;
        for (int i = 0; i < 10_000; i++) {
            long ms = l.sample(random).toMillis();
            below += ms < 300 ? 1 : 0;
            tail += ms > 1200 ? 1 : 0;
        }
        assertThat(below / 10_000.0).isCloseTo(0.5, within(0.02));
        assertThat(tail / 10_000.0).isCloseTo(0.062, within(0.01)); // P(Z > ln 4 / 0.9)
    }

    private static List<String> decisions(FaultPlan plan, long seed) {
        FaultInjector injector = new FaultInjector(plan, seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Injection x = injector.next();
            out.add(x.code() + "/" + x.delay().toNanos());
        }
        return out;
    }
}
