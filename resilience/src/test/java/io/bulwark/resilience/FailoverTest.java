package io.bulwark.resilience;

import io.bulwark.resilience.failure.BudgetExceeded;
import io.bulwark.resilience.failure.CircuitOpen;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    private Failover<String, String> retrying(SameChoiceRetry retry, java.util.Map<String, RetryBudget> budgets,
                                              Object... idsAndCalls) {
        return tier(false, idsAndCalls).sameChoiceRetry(retry, id -> budgets.computeIfAbsent(id,
                k -> retry.newBudget())).build();
    }

    @Test
    void should_ask_the_only_choice_again_after_a_429_it_cannot_wait_out_and_after_a_malformed_answer() {
        Scripted a = new Scripted().then(fails(new RateLimited("429", Duration.ofSeconds(30))))
                .then(fails(new MalformedResponse("prose"))).then(() -> "ok");
        Failover<String, String> f = retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", a);

        Outcome<String> o = f.answer("x", deadline());

        assertThat(o.value()).isEqualTo("ok");
        assertThat(o.fallback()).isEqualTo(Failover.REASK);
        assertThat(a.calls).as("the 429, the malformed answer, the answer").isEqualTo(3);
        assertThat(cooldowns.remaining("a")).as("the only choice is never cooled").isZero();
    }

    @Test
    void should_leave_a_429_whose_wait_fits_the_deadline_to_the_rate_limit_fallback() {
        Scripted a = new Scripted().then(fails(new RateLimited("429", Duration.ofMillis(300)))).then(() -> "ok");
        Failover<String, String> f = retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", a);

        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofMillis(300)));
        assertThat(a.calls).as("waited out by the boundary, not hammered at once").isEqualTo(1);
    }

    @Test
    void should_stop_at_max_attempts_and_when_the_deadline_leaves_no_room() {
        Scripted a = new Scripted().then(fails(new MalformedResponse("prose")));
        Failover<String, String> f = retrying(new SameChoiceRetry(true, 2, 10, 3), new java.util.HashMap<>(), "a", a);
        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(MalformedResponse.class);
        assertThat(a.calls).isEqualTo(2);

        Scripted late = new Scripted().then(fails(new MalformedResponse("prose")));
        Failover<String, String> g = retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", late);
        Deadline almostOver = Deadline.after(Duration.ofMillis(240), time); // < 200 ms call + 50 ms reserve
        assertThatThrownBy(() -> g.answer("x", almostOver)).isInstanceOf(MalformedResponse.class);
        assertThat(late.calls).isEqualTo(1);
    }

    @Test
    void should_stop_retrying_a_choice_that_fails_most_calls_and_start_again_once_it_answers() {
        java.util.Map<String, RetryBudget> budgets = new java.util.HashMap<>();
        Scripted dead = new Scripted().then(fails(new MalformedResponse("prose")));
        Failover<String, String> f = retrying(SameChoiceRetry.defaults(), budgets, "a", dead);

        int[] calls = new int[6];
        for (int r = 0; r < calls.length; r++) {
            int before = dead.calls;
            assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(MalformedResponse.class);
            calls[r] = dead.calls - before;
        }

        // 10 tokens, one per failed call, retries while more than 5 are left: 3 + 2 calls, then 1 per request
        assertThat(calls).containsExactly(3, 2, 1, 1, 1, 1);
        budgets.get("a").onAnswer();
        budgets.get("a").onAnswer();
        int before = dead.calls;
        assertThatThrownBy(() -> f.answer("x", deadline())).isInstanceOf(MalformedResponse.class);
        assertThat(dead.calls - before).as("two answers gave 6 tokens back").isGreaterThan(1);
    }

    @Test
    void should_not_ask_the_same_choice_again_while_another_can_answer_nor_when_off() {
        Scripted a = new Scripted().then(fails(new MalformedResponse("prose"))).then(() -> "a");
        Scripted b = new Scripted().then(() -> "b");
        Outcome<String> o = retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", a, "b", b)
                .answer("x", deadline());
        assertThat(o.model()).isEqualTo("b");
        assertThat(a.calls).isEqualTo(1);

        Scripted off = new Scripted().then(fails(new RateLimited("429", null))).then(() -> "ok");
        assertThatThrownBy(() -> retrying(SameChoiceRetry.off(), new java.util.HashMap<>(), "a", off)
                .answer("x", deadline())).isInstanceOf(RateLimited.class);
        assertThat(off.calls).isEqualTo(1);
    }

    @Test
    void should_not_ask_the_same_choice_again_after_a_time_out_or_an_outage() {
        Scripted slow = new Scripted().then(fails(new TimedOut("slow"))).then(() -> "ok");
        assertThatThrownBy(() -> retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", slow)
                .answer("x", deadline())).isInstanceOf(TimedOut.class);
        assertThat(slow.calls).isEqualTo(1);

        Scripted down = new Scripted().then(fails(new io.bulwark.resilience.failure.Unavailable("503", null)))
                .then(() -> "ok");
        assertThatThrownBy(() -> retrying(SameChoiceRetry.defaults(), new java.util.HashMap<>(), "a", down)
                .answer("x", deadline())).isInstanceOf(io.bulwark.resilience.failure.Unavailable.class);
        assertThat(down.calls).isEqualTo(1);
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

    // Hedging. Latencies are read on the simulated ticker (a call "takes" what it advances); the hedge itself waits
    // in real time, so a p90 of 20 simulated ms is a 20 ms real wait. Slow calls block on latches, never sleep.

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> abandoned = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private Supplier<String> takes(Duration d, String answer) {
        return () -> {
            time.advance(d);
            return answer;
        };
    }

    /** Blocks until released (then answers) or interrupted (then counts down {@code cancelled} and fails). */
    private static Supplier<String> blocks(CountDownLatch release, CountDownLatch cancelled, String answer) {
        return () -> {
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new TimedOut("never released");
                }
                return answer;
            } catch (InterruptedException e) {
                cancelled.countDown();
                Thread.currentThread().interrupt();
                throw new TimedOut("cancelled", e);
            }
        };
    }

    /** A tier [a, b (backup)] hedging after the p90 of its last 3 answers, with {@code share}. */
    private Failover<String, String> hedged(double share, Scripted a, Scripted b) {
        return tier(false, "a", a, "b", b)
                .hedge(new Hedge(share, 3, 10), executor, (id, request) -> abandoned.add(id + ":" + request))
                .build();
    }

    @Test
    void should_hedge_a_slow_first_call_after_the_tier_p90_take_the_faster_answer_and_cancel_the_other() {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Scripted a = new Scripted().then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(20), "a"))
                .then(takes(Duration.ofMillis(20), "a")).then(blocks(never, cancelled, "late a"));
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = hedged(1.0, a, b);
        for (int n = 0; n < 3; n++) {
            assertThat(f.answer("warm", deadline()).model()).isEqualTo("a");
        }
        assertThat(b.calls).as("no hedge before min samples").isZero();

        Outcome<String> o = f.answer("x", deadline());

        assertThat(o.value()).isEqualTo("b");
        assertThat(o.model()).isEqualTo("b");
        assertThat(o.fallback()).isEqualTo(Failover.HEDGE);
        assertThat(o.degraded()).isFalse();
        assertThat(awaited(cancelled)).as("the slow call's thread was interrupted").isTrue();
        assertThat(abandoned).containsExactly("a:x");
        assertThat(f.hedgeStats()).hasValueSatisfying(h -> {
            assertThat(h.won()).isEqualTo(1);
            assertThat(h.lost()).isZero();
        });
        assertThat(f.stats().getFirst().failures().values()).as("a cancelled call is no failure of a")
                .allMatch(n -> n == 0);
    }

    @Test
    void should_wait_for_the_other_call_when_one_of_a_hedged_pair_fails() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Scripted a = new Scripted().then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(20), "a"))
                .then(takes(Duration.ofMillis(20), "a")).then(blocks(release, cancelled, "late a"));
        Scripted b = new Scripted().then(() -> {
            release.countDown(); // a answers only once b has failed
            throw new MalformedResponse("prose");
        });
        Failover<String, String> f = hedged(1.0, a, b);
        for (int n = 0; n < 3; n++) {
            f.answer("warm", deadline());
        }

        Outcome<String> o = f.answer("x", deadline());

        assertThat(o.value()).isEqualTo("late a");
        assertThat(o.fallback()).as("the first call answered").isNull();
        assertThat(b.calls).isEqualTo(1);
        assertThat(cancelled.getCount()).as("the winner was not cancelled").isEqualTo(1);
    }

    @Test
    void should_not_hedge_past_the_max_share() {
        Scripted a = new Scripted().then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(20), "a"))
                .then(takes(Duration.ofMillis(20), "a")).then(() -> {
                    try {
                        // slower than the 20 ms p90, answered: with max share 0 nothing else may be asked
                        new CountDownLatch(1).await(150, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "slow a";
                });
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = hedged(0.0, a, b);
        for (int n = 0; n < 3; n++) {
            f.answer("warm", deadline());
        }

        Outcome<String> first = f.answer("x", deadline());
        Outcome<String> second = f.answer("y", deadline());

        assertThat(first.value()).isEqualTo("slow a");
        assertThat(second.value()).isEqualTo("slow a");
        assertThat(b.calls).isZero();
        assertThat(f.hedgeStats()).hasValueSatisfying(h -> assertThat(h.overShare()).isEqualTo(2));
    }

    @Test
    void should_hedge_at_most_its_share_of_requests() {
        Scripted a = new Scripted().then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(20), "a"))
                .then(takes(Duration.ofMillis(20), "a")).then(() -> {
                    try {
                        new CountDownLatch(1).await(150, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TimedOut("cancelled", e);
                    }
                    return "slow a";
                });
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> f = hedged(0.25, a, b);
        for (int n = 0; n < 3; n++) {
            f.answer("warm", deadline());
        }
        for (int n = 0; n < 9; n++) {
            f.answer("x" + n, deadline());
        }

        assertThat(b.calls).as("12 requests, 25%").isEqualTo(3);
        assertThat(f.hedgeStats()).hasValueSatisfying(h -> {
            assertThat(h.won() + h.lost()).isEqualTo(3);
            assertThat(h.overShare()).isEqualTo(6);
        });
    }

    @Test
    void should_not_hedge_without_a_healthy_second_choice_nor_when_off() {
        Scripted a = new Scripted().then(() -> "a");
        Scripted b = new Scripted().then(() -> "b");
        Failover<String, String> off = tier(false, "a", a, "b", b).build();
        assertThat(off.hedgeStats()).isEmpty();

        Scripted c = new Scripted().then(takes(Duration.ofMillis(20), "c"));
        Scripted d = new Scripted().then(fails(new CircuitOpen("open", null)));
        Failover<String, String> f = Failover.<String, String>builder().tier(Tier.LLM_CHEAP).cooldowns(cooldowns)
                .random(new Random(1)).hedge(new Hedge(1.0, 1, 1), executor, (id, q) -> abandoned.add(id))
                .choice(new Failover.Choice<>("c", Route.of(Tier.LLM_CHEAP, "c", c), 1, () -> true))
                .choice(new Failover.Choice<>("d", Route.of(Tier.LLM_CHEAP, "d", d), 0, () -> false))
                .build();
        for (int n = 0; n < 3; n++) {
            assertThat(f.answer("x", deadline()).model()).isEqualTo("c");
        }
        assertThat(d.calls).isZero();
        assertThat(f.hedgeStats()).hasValueSatisfying(h -> assertThat(h.won() + h.lost() + h.overShare()).isZero());
    }

    @Test
    void should_replay_a_hedged_pair_in_simulated_time_and_end_at_the_winner_s_answer() {
        Scripted a = new Scripted().then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(20), "a"))
                .then(takes(Duration.ofMillis(20), "a")).then(takes(Duration.ofMillis(500), "slow a"));
        Scripted b = new Scripted().then(takes(Duration.ofMillis(30), "b"));
        Failover<String, String> f = tier(false, "a", a, "b", b)
                .hedge(new Hedge(1.0, 3, 10), executor, (id, request) -> abandoned.add(id))
                .simulatedTime(time::arrive)
                .build();
        for (int n = 0; n < 3; n++) {
            f.answer("warm", deadline());
        }
        long start = time.read();

        Outcome<String> o = f.answer("x", deadline());

        assertThat(o.value()).isEqualTo("b");
        assertThat(o.fallback()).isEqualTo(Failover.HEDGE);
        assertThat(Duration.ofNanos(time.read() - start)).as("the p90 (20 ms) and b's 30 ms")
                .isEqualTo(Duration.ofMillis(50));
        assertThat(abandoned).containsExactly("a");
        assertThat(f.hedgeStats()).hasValueSatisfying(h -> assertThat(h.won()).isEqualTo(1));
    }

    @Test
    void should_refuse_an_invalid_hedge_policy() {
        assertThatThrownBy(() -> new Hedge(1.5, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hedge(0.1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hedge(0.1, 5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean awaited(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
