package io.bulwark.resilience;

import io.bulwark.resilience.failure.BudgetExceeded;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailoverTest {

    private final SimulatedTime time = new SimulatedTime();
    private final Cooldowns cooldowns = Cooldowns.inProcess(time);

    /** A route that answers or throws what its script says next, and counts its calls. */
    private static final class Scripted implements Call<String, String> {
        final Deque<Supplier<String>> script = new ArrayDeque<>();
        int calls;

        Scripted then(Supplier<String> step) {
            script.add(step);
            return this;
        }

        @Override
        public String call(String request, Deadline deadline) {
            calls++;
            Supplier<String> next = script.size() > 1 ? script.poll() : script.peek();
            return next.get();
        }
    }

    private static Supplier<String> fails(RuntimeException e) {
        return () -> {
            throw e;
        };
    }

    private Failover.Builder<String, String> tier(boolean reaskSame, Object... idsAndCalls) {
        Failover.Builder<String, String> b = Failover.<String, String>builder().tier(Tier.LLM_CHEAP)
                .cooldowns(cooldowns).random(new Random(1)).reaskSameChoice(reaskSame);
        for (int i = 0; i < idsAndCalls.length; i += 2) {
            String id = (String) idsAndCalls[i];
            b.choice(new Failover.Choice<>(id, Route.of(Tier.LLM_CHEAP, id, (Scripted) idsAndCalls[i + 1]),
                    i == 0 ? 1 : 0, () -> true));
        }
        return b;
    }

    private Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(2), time);
    }

    @Test
    void should_cool_a_rate_limited_choice_for_its_retry_after_and_skip_it_until_then() {
        Scripted a = new Scripted().then(fails(new RateLimited("429", Duration.ofSeconds(30)))).then(() -> "a");
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = tier(false, "a", a, "b", b).build();

        Outcome<String> first = f.answer("x", deadline());
        Outcome<String> second = f.answer("x", deadline());
        time.advance(Duration.ofSeconds(31));
        Outcome<String> later = f.answer("x", deadline());

        assertThat(first.model()).isEqualTo("b");
        assertThat(first.fallback()).isEqualTo(Failover.NEXT_PROVIDER);
        assertThat(second.model()).isEqualTo("b");
        assertThat(later.model()).as("the cooldown is over").isEqualTo("a");
        assertThat(later.fallback()).isNull();
        assertThat(a.calls).isEqualTo(2);
        assertThat(f.stats().getFirst().skipped()).isEqualTo(1);
    }

    @Test
    void should_never_cool_the_only_choice_and_pass_its_429_on_to_the_boundary() {
        Scripted a = new Scripted().then(fails(new RateLimited("429", Duration.ofSeconds(30))));
        Failover<String, String> f = tier(false, "a", a).build();

        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(RateLimited.class);
        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(RateLimited.class);

        assertThat(a.calls).isEqualTo(2);
        assertThat(cooldowns.remaining("a")).isZero();
        assertThat(f.model()).isEqualTo("a");
    }

    @Test
    void should_say_how_long_to_wait_when_every_choice_is_cooling() {
        cooldowns.coolDown("a", Duration.ofSeconds(3));
        cooldowns.coolDown("b", Duration.ofMillis(400));
        Scripted a = new Scripted().then(() -> "a");
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = tier(false, "a", a, "b", b).build();

        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofMillis(400)));
        assertThat(a.calls + b.calls).isZero();
    }

    @Test
    void should_reask_a_malformed_answer_once_of_the_same_choice_only_when_asked_to() {
        Scripted off = new Scripted().then(fails(new MalformedResponse("prose"))).then(() -> "ok");
        assertThatThrownBy(() -> tier(false, "a", off).build().answer("x", deadline()))
                .isInstanceOf(MalformedResponse.class);
        assertThat(off.calls).isEqualTo(1);

        Scripted on = new Scripted().then(fails(new MalformedResponse("prose"))).then(() -> "ok");
        Outcome<String> o = tier(true, "a", on).build().answer("x", deadline());
        assertThat(o.value()).isEqualTo("ok");
        assertThat(o.fallback()).isEqualTo(Failover.REASK);

        Scripted twice = new Scripted().then(fails(new MalformedResponse("prose")));
        assertThatThrownBy(() -> tier(true, "a", twice).build().answer("x", deadline()))
                .isInstanceOf(MalformedResponse.class);
        assertThat(twice.calls).as("re-asked once, not more").isEqualTo(2);
    }

    @Test
    void should_move_on_after_a_time_out_and_pass_the_last_failure_on_when_all_fail() {
        Scripted a = new Scripted().then(fails(new TimedOut("slow")));
        Scripted b = new Scripted().then(fails(new TimedOut("slow too")));
        Failover<String, String> f = tier(false, "a", a, "b", b).build();

        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(TimedOut.class).hasMessage("slow too");
        assertThat(a.calls).isEqualTo(1);
        assertThat(b.calls).isEqualTo(1);
    }

    @Test
    void should_not_cool_a_rate_limited_choice_whose_only_alternative_is_down_and_pass_its_429_on() {
        Scripted a = new Scripted().then(fails(new RateLimited("429", Duration.ofSeconds(1))));
        Scripted b = new Scripted().then(fails(new io.bulwark.resilience.failure.CircuitOpen("open", null)));
        Failover<String, String> f = Failover.<String, String>builder().tier(Tier.LLM_CHEAP).cooldowns(cooldowns)
                .random(new Random(1))
                .choice(new Failover.Choice<>("a", Route.of(Tier.LLM_CHEAP, "a", a), 1, () -> true))
                .choice(new Failover.Choice<>("b", Route.of(Tier.LLM_CHEAP, "b", b), 1, () -> false))
                .build();

        assertThatThrownBy(() -> f.answer("x", deadline())).as("the 429, not the open breaker behind it")
                .isInstanceOfSatisfying(RateLimited.class,
                        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(1)));
        assertThat(cooldowns.remaining("a")).as("b is down: cooling a would leave the tier nothing").isZero();
    }

    @Test
    void should_stop_at_once_when_the_budget_is_spent() {
        Scripted a = new Scripted().then(fails(new BudgetExceeded("spent")));
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = tier(false, "a", a, "b", b).build();

        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(BudgetExceeded.class);
        assertThat(b.calls).isZero();
    }

    @Test
    void should_refuse_a_choice_of_another_tier_and_a_duplicate() {
        Failover.Builder<String, String> b = Failover.<String, String>builder().tier(Tier.LLM_CHEAP)
                .choice(Failover.Choice.of("a", Route.of(Tier.LLM_STRONG, "a", (q, d) -> "a")));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class);
        Failover.Builder<String, String> dup = Failover.<String, String>builder().tier(Tier.LLM_CHEAP)
                .choice(Failover.Choice.of("a", Route.of(Tier.LLM_CHEAP, "a", (q, d) -> "a")));
        assertThatThrownBy(() -> dup.choice(Failover.Choice.of("a", Route.of(Tier.LLM_CHEAP, "a", (q, d) -> "a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
