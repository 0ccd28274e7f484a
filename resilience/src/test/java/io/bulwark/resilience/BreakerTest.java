package io.bulwark.resilience;

import io.bulwark.resilience.failure.CircuitOpen;
import io.bulwark.resilience.failure.InvalidRequest;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.Unavailable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreakerTest {

    private final SimulatedTime time = new SimulatedTime();
    private final List<Breaker.Transition> transitions = new ArrayList<>();
    private final Breaker breaker = Breaker.create("gpt-4o-mini",
            new BreakerConfig(50f, 4, 4, Duration.ofSeconds(30), 2), time.clock(), time, transitions::add);
    private final AtomicBoolean healthy = new AtomicBoolean(false);
    private final AtomicInteger calls = new AtomicInteger();
    private final Route<String, String> route = breaker.decorate(Route.of(Tier.LLM_CHEAP, "gpt-4o-mini", (q, d) -> {
        calls.incrementAndGet();
        if (!healthy.get()) {
            throw new Unavailable("503");
        }
        return "ok";
    }));
    private final Deadline deadline = Deadline.after(Duration.ofSeconds(2), time);

    private void callIgnoringFailure() {
        try {
            route.call("q", deadline);
        } catch (RuntimeException expected) {
            // counted by the breaker
        }
    }

    @Test
    void should_open_after_repeated_failures_and_answer_without_calling_the_provider() {
        for (int i = 0; i < 4; i++) {
            callIgnoringFailure();
        }
        assertThat(breaker.state()).isEqualTo("OPEN");

        assertThatThrownBy(() -> route.call("q", deadline)).isInstanceOf(CircuitOpen.class);
        assertThat(calls).hasValue(4);
    }

    private static Route<String, String> failing(Breaker b, RuntimeException failure) {
        return b.decorate(Route.of(Tier.LLM_CHEAP, b.name(), (q, d) -> {
            throw failure;
        }));
    }

    @Test
    void should_judge_health_and_not_count_malformed_answers_unless_told_to() {
        Breaker health = Breaker.create("health", new BreakerConfig(50f, 4, 4, Duration.ofSeconds(30), 2),
                time.clock(), time, t -> { });
        Breaker content = Breaker.create("content", new BreakerConfig(50f, 4, 4, Duration.ofSeconds(30), 2, true),
                time.clock(), time, t -> { });
        Route<String, String> a = failing(health, new io.bulwark.resilience.failure.MalformedResponse("prose"));
        Route<String, String> b = failing(content, new io.bulwark.resilience.failure.MalformedResponse("prose"));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> a.call("q", deadline))
                    .isInstanceOf(io.bulwark.resilience.failure.MalformedResponse.class);
            try {
                b.call("q", deadline);
            } catch (RuntimeException expected) {
                // malformed, then refused once open
            }
        }

        assertThat(health.state()).as("a provider that answers is alive").isEqualTo("CLOSED");
        assertThat(content.state()).isEqualTo("OPEN");
        assertThat(BreakerConfig.defaults().countMalformed()).isFalse();
    }

    @Test
    void should_keep_a_40_percent_failing_provider_and_cut_off_a_dead_one_with_the_defaults() {
        Breaker b = Breaker.create("defaults", BreakerConfig.defaults(), time.clock(), time, t -> { });
        AtomicInteger n = new AtomicInteger();
        java.util.Random random = new java.util.Random(42);
        AtomicBoolean dead = new AtomicBoolean(false);
        Route<String, String> r = b.decorate(Route.of(Tier.LLM_CHEAP, "defaults", (q, d) -> {
            n.incrementAndGet();
            if (dead.get() || random.nextDouble() < 0.4) {
                throw new io.bulwark.resilience.failure.TimedOut("hang");
            }
            return "ok";
        }));
        for (int i = 0; i < 20_000; i++) {
            try {
                r.call("q", deadline);
            } catch (RuntimeException expected) {
                // a time-out, counted
            }
        }
        assertThat(b.state()).as("40% failing: alive, never tripped by chance").isEqualTo("CLOSED");

        dead.set(true);
        int before = n.get();
        for (int i = 0; i < 100; i++) {
            try {
                r.call("q", deadline);
            } catch (RuntimeException expected) {
                // a time-out, then refused
            }
        }
        assertThat(b.state()).isEqualTo("OPEN");
        assertThat(n.get() - before).as("failed calls before it opened").isLessThanOrEqualTo(
                Math.round(BreakerConfig.DEFAULT_FAILURE_RATE_THRESHOLD / 100 * BreakerConfig.DEFAULT_SLIDING_WINDOW_SIZE));
    }

    @Test
    void should_half_open_after_the_wait_and_close_again_when_trial_calls_succeed() {
        for (int i = 0; i < 4; i++) {
            callIgnoringFailure();
        }
        time.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> route.call("q", deadline)).isInstanceOf(CircuitOpen.class);

        time.advance(Duration.ofSeconds(2));
        healthy.set(true);
        assertThat(route.call("q", deadline)).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo("HALF_OPEN");
        assertThat(route.call("q", deadline)).isEqualTo("ok");

        assertThat(breaker.state()).isEqualTo("CLOSED");
        assertThat(transitions).extracting(Breaker.Transition::to).containsExactly("OPEN", "HALF_OPEN", "CLOSED");
    }

    @Test
    void should_open_again_when_a_trial_call_fails() {
        for (int i = 0; i < 4; i++) {
            callIgnoringFailure();
        }
        time.advance(Duration.ofSeconds(31));
        callIgnoringFailure();
        callIgnoringFailure();

        assertThat(breaker.state()).isEqualTo("OPEN");
    }

    @Test
    void should_not_count_rate_limits_or_invalid_requests_against_the_provider() {
        Route<String, String> limited = breaker.decorate(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new RateLimited("429", null);
        }));
        Route<String, String> invalid = breaker.decorate(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new InvalidRequest("400");
        }));
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> limited.call("q", deadline)).isInstanceOf(RateLimited.class);
            assertThatThrownBy(() -> invalid.call("q", deadline)).isInstanceOf(InvalidRequest.class);
        }

        assertThat(breaker.state()).isEqualTo("CLOSED");
    }

    @Test
    void should_guard_a_plain_call_as_it_guards_a_route_counting_only_failures_that_count() {
        Breaker plain = Breaker.create("penguins v2", new BreakerConfig(50f, 4, 4, Duration.ofSeconds(30), 2),
                time.clock(), time, transitions::add);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> plain.call(() -> {
                ran.incrementAndGet();
                throw new io.bulwark.resilience.failure.InvalidRequest("not the version's fault");
            })).isInstanceOf(io.bulwark.resilience.failure.InvalidRequest.class);
        }
        assertThat(plain.state()).as("ignored failures do not open it").isEqualTo("CLOSED");
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> plain.call(() -> {
                ran.incrementAndGet();
                throw new Unavailable("load failed");
            })).isInstanceOf(Unavailable.class);
        }

        assertThat(plain.state()).isEqualTo("OPEN");
        assertThatThrownBy(() -> plain.call(() -> ran.incrementAndGet())).isInstanceOf(CircuitOpen.class)
                .hasMessage("circuit breaker for penguins v2 is open");
        assertThat(ran).hasValue(8);
    }
}
