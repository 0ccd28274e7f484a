package io.bulwark.resilience;

import io.bulwark.resilience.failure.AuthFailed;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBoundaryTest {

    private final SimulatedTime time = new SimulatedTime();
    private final BoundaryMetrics metrics = new BoundaryMetrics();
    private final Deque<Supplier<String>> script = new ArrayDeque<>();
    private int primaryCalls;
    private int cheaperCalls;

    private final Route<String, String> primary = Route.of(Tier.LLM_STRONG, "strong", (q, d) -> {
        primaryCalls++;
        return script.isEmpty() ? "strong:" + q : script.pop().get();
    });
    private final Route<String, String> cheaper = Route.of(Tier.LLM_CHEAP, "cheap", (q, d) -> {
        cheaperCalls++;
        return "cheap:" + q;
    });
    private final Route<String, String> local = Route.of(Tier.LOCAL, "local", (q, d) -> "local:" + q);

    private final ErrorBoundary<String, String> boundary = ErrorBoundary.<String, String>builder()
            .deadline(Duration.ofSeconds(2))
            .ticker(time)
            .listener(metrics)
            .fallback(new RateLimitFallback<>(time, Duration.ofMillis(200), Duration.ofMillis(50)))
            .fallback(new TimeoutFallback<>(cheaper))
            .fallback(new LocalModelFallback<>(local))
            .template(new TemplateFallback<>(q -> "template"))
            .build();

    private void fail(RuntimeException e) {
        script.add(() -> {
            throw e;
        });
    }

    @Test
    void should_answer_from_first_choice_without_fallback_when_it_succeeds() {
        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("strong:hi", Tier.LLM_STRONG, "strong", null, false));
    }

    @Test
    void should_wait_retry_after_and_retry_first_choice_when_deadline_allows() {
        fail(new RateLimited("429", Duration.ofMillis(500)));

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("strong:hi", Tier.LLM_STRONG, "strong", "rate_limit", false));
        assertThat(primaryCalls).isEqualTo(2);
        assertThat(time.read()).isEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test
    void should_fall_back_to_local_model_without_waiting_when_retry_after_exceeds_deadline() {
        fail(new RateLimited("429", Duration.ofSeconds(30)));

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("local:hi", Tier.LOCAL, "local", "local_model", true));
        assertThat(primaryCalls).isEqualTo(1);
        assertThat(time.read()).isZero();
    }

    @Test
    void should_not_wait_when_rate_limit_gives_no_retry_after() {
        fail(new RateLimited("429", null));

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o.fallback()).isEqualTo("local_model");
        assertThat(time.read()).isZero();
    }

    @Test
    void should_pass_a_time_out_on_to_the_local_model_without_a_retry_when_the_deadline_leaves_no_room() {
        ErrorBoundary<String, String> tight = ErrorBoundary.<String, String>builder()
                .deadline(Duration.ofMillis(450))
                .ticker(time)
                .fallback(new TimeoutFallback<>(cheaper, Duration.ofMillis(430)))
                .fallback(new LocalModelFallback<>(local))
                .template(new TemplateFallback<>(q -> "template"))
                .build();
        script.add(() -> {
            time.advance(Duration.ofMillis(420)); // the first call used its whole time limit
            throw new TimedOut("slow");
        });

        Outcome<String> o = tight.execute("hi", primary);

        assertThat(o.value()).isEqualTo("local:hi");
        assertThat(o.tier()).isEqualTo(Tier.LOCAL);
        assertThat(cheaperCalls).isZero();
    }

    @Test
    void should_still_retry_a_time_out_when_the_deadline_leaves_room() {
        ErrorBoundary<String, String> roomy = ErrorBoundary.<String, String>builder()
                .deadline(Duration.ofSeconds(2))
                .ticker(time)
                .fallback(new TimeoutFallback<>(cheaper, Duration.ofMillis(250)))
                .fallback(new LocalModelFallback<>(local))
                .template(new TemplateFallback<>(q -> "template"))
                .build();
        script.add(() -> {
            time.advance(Duration.ofMillis(1200));
            throw new TimedOut("slow");
        });

        Outcome<String> o = roomy.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("cheap:hi", Tier.LLM_CHEAP, "cheap", "timeout", true));
        assertThat(cheaperCalls).isEqualTo(1);
    }

    @Test
    void should_retry_once_on_cheaper_route_when_first_choice_times_out() {
        fail(new TimedOut("slow"));

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("cheap:hi", Tier.LLM_CHEAP, "cheap", "timeout", true));
        assertThat(cheaperCalls).isEqualTo(1);
    }

    @Test
    void should_fall_back_to_local_model_when_provider_is_unavailable() {
        fail(new Unavailable("503"));

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o.tier()).isEqualTo(Tier.LOCAL);
        assertThat(o.degraded()).isTrue();
        assertThat(cheaperCalls).isZero();
    }

    @Test
    void should_answer_from_template_when_local_model_fails_too() {
        ErrorBoundary<String, String> noLocal = ErrorBoundary.<String, String>builder()
                .ticker(time)
                .fallback(new LocalModelFallback<>(Route.of(Tier.LOCAL, "local", (q, d) -> {
                    throw new IllegalStateException("bug in the local model");
                })))
                .template(new TemplateFallback<>(q -> "template"))
                .build();
        fail(new AuthFailed("401"));

        Outcome<String> o = noLocal.execute("hi", primary);

        assertThat(o).isEqualTo(new Outcome<>("template", Tier.TEMPLATE, "template", "template", true));
    }

    @Test
    void should_skip_local_model_when_deadline_has_passed() {
        script.add(() -> {
            time.advance(Duration.ofSeconds(3));
            throw new Unavailable("503 after a long wait");
        });

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o.tier()).isEqualTo(Tier.TEMPLATE);
    }

    @Test
    void should_treat_an_unexpected_exception_as_unavailable_and_never_throw() {
        script.add(() -> {
            throw new NullPointerException("bug");
        });

        Outcome<String> o = boundary.execute("hi", primary);

        assertThat(o.tier()).isEqualTo(Tier.LOCAL);
        assertThat(metrics.snapshot().errors()).containsEntry(FailureType.UNAVAILABLE, 1L);
    }

    @Test
    void should_count_requests_errors_tiers_and_fallbacks() {
        fail(new MalformedResponse("prose"));
        boundary.execute("a", primary);
        boundary.execute("b", primary);
        fail(new TimedOut("slow"));
        boundary.execute("c", primary);

        BoundaryMetrics.Snapshot s = metrics.snapshot();
        assertThat(s.requests()).isEqualTo(3);
        assertThat(s.errors()).containsEntry(FailureType.MALFORMED_RESPONSE, 1L).containsEntry(FailureType.TIMED_OUT, 1L);
        assertThat(s.answersByTier()).containsEntry(Tier.LOCAL, 1L).containsEntry(Tier.LLM_STRONG, 1L)
                .containsEntry(Tier.LLM_CHEAP, 1L);
        assertThat(s.answersByFallback()).containsEntry("local_model", 1L).containsEntry("none", 1L)
                .containsEntry("timeout", 1L);
        assertThat(s.degraded()).isEqualTo(2);
    }

    @Test
    void should_print_its_nesting_outermost_first() {
        String described = boundary.describe(primary.describe());

        List<String> order = List.of("Deadline[2000ms]", "RateLimitFallback", "TimeoutFallback",
                "LocalModelFallback", "TemplateFallback", "(strong)");
        int last = -1;
        for (String part : order) {
            int at = described.indexOf(part);
            assertThat(at).as(part + " in\n" + described).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void should_refuse_to_build_without_a_template() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ErrorBoundary.<String, String>builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("template");
    }

    @Test
    void should_refuse_a_second_deadline() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ErrorBoundary.<String, String>builder()
                        .deadline(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }
}
