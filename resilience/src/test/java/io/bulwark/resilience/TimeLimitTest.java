package io.bulwark.resilience;

import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeLimitTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final Route<String, String> hanging = Route.of(Tier.LLM_CHEAP, "slow", (q, d) -> {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.countDown();
        }
        return "never";
    });

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void should_time_out_and_cancel_a_call_that_hangs() throws InterruptedException {
        Route<String, String> limited = TimeLimit.of(Duration.ofMillis(100), Duration.ZERO, executor).decorate(hanging);
        long start = System.nanoTime();

        assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofSeconds(5), Ticker.system())))
                .isInstanceOf(TimedOut.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the hanging call was interrupted").isTrue();
    }

    @Test
    void should_fail_at_once_when_the_deadline_leaves_nothing_after_the_reserve() {
        SimulatedTime time = new SimulatedTime();
        Route<String, String> limited = TimeLimit.of(Duration.ofSeconds(1), Duration.ofMillis(50), executor)
                .decorate(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> "ok"));

        assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofMillis(40), time)))
                .isInstanceOf(TimedOut.class).hasMessageContaining("no time left");
    }

    @Test
    void should_not_count_against_the_provider_a_call_it_never_made_for_want_of_time() {
        SimulatedTime time = new SimulatedTime();
        TimeLimit limit = TimeLimit.of(Duration.ofSeconds(1), Duration.ofMillis(50), executor);
        Route<String, String> ok = Route.of(Tier.LLM_CHEAP, "m", (q, d) -> "ok");

        for (Route<String, String> limited : java.util.List.of(limit.decorate(ok), limit.decorateOnCallingThread(ok))) {
            assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofMillis(40), time)))
                    .isInstanceOfSatisfying(TimedOut.class, t -> assertThat(t.countsAgainstProvider()).isFalse());
        }
    }

    @Test
    void should_count_a_time_out_only_when_the_call_had_its_fair_budget() {
        TimeLimit limit = TimeLimit.of(Duration.ofMillis(400), Duration.ZERO, executor)
                .withFairBudget(Duration.ofMillis(300));
        // a provider that gives up at its deadline by itself, as SocketTransport does (the calling-thread path)
        Route<String, String> givesUp = Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            try {
                Thread.sleep(d.remaining().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new TimedOut("m: read timed out");
        });

        for (Route<String, String> limited : java.util.List.of(limit.decorate(hanging),
                limit.decorateOnCallingThread(givesUp))) {
            // the request's earlier steps left 150 ms: cut short, not the provider's fault
            assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofMillis(150), Ticker.system())))
                    .isInstanceOfSatisfying(TimedOut.class, t -> {
                        assertThat(t.countsAgainstProvider()).isFalse();
                        assertThat(t).hasMessageContaining("under the fair 300 ms: not counted against it");
                    });
            // the whole 400 ms: the provider had its chance
            assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofSeconds(5), Ticker.system())))
                    .isInstanceOfSatisfying(TimedOut.class, t -> assertThat(t.countsAgainstProvider()).isTrue());
        }
    }

    @Test
    void should_keep_a_breaker_closed_on_time_outs_of_calls_cut_short_and_open_it_on_fair_ones() {
        BreakerConfig config = new BreakerConfig(50f, 4, 4, Duration.ofSeconds(30), 2);
        Breaker breaker = Breaker.create("m", config, java.time.Clock.systemUTC(), Ticker.system(), t -> { });
        Route<String, String> limited = breaker.decorate(TimeLimit.of(Duration.ofMillis(200), Duration.ZERO, executor)
                .withFairBudget(Duration.ofMillis(150)).decorate(hanging));

        for (int i = 0; i < config.minimumNumberOfCalls() + 2; i++) {
            assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofMillis(50), Ticker.system())))
                    .isInstanceOf(TimedOut.class);
        }
        assertThat(breaker.permitsCalls()).as("cut-short time-outs do not open it").isTrue();

        for (int i = 0; i < config.minimumNumberOfCalls() && breaker.permitsCalls(); i++) {
            try {
                limited.call("q", Deadline.after(Duration.ofSeconds(5), Ticker.system()));
            } catch (RuntimeException expected) {
                // TimedOut, counted
            }
        }
        assertThat(breaker.permitsCalls()).as("fair time-outs do").isFalse();
    }

    @Test
    void should_pass_typed_failures_through_and_type_unexpected_ones() {
        TimeLimit limit = TimeLimit.of(Duration.ofSeconds(1), Duration.ZERO, executor);
        Route<String, String> malformed = limit.decorate(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new MalformedResponse("prose");
        }));
        Route<String, String> buggy = limit.decorate(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new IllegalStateException("bug");
        }));
        Deadline deadline = Deadline.after(Duration.ofSeconds(2), Ticker.system());

        assertThatThrownBy(() -> malformed.call("q", deadline)).isInstanceOf(MalformedResponse.class);
        assertThatThrownBy(() -> buggy.call("q", deadline)).isInstanceOf(Unavailable.class);
    }

    @Test
    void should_describe_itself_around_the_route() {
        assertThat(TimeLimit.of(Duration.ofMillis(1200), Duration.ZERO, executor).decorate(hanging).describe())
                .isEqualTo("TimeLimit[1200ms](slow)");
    }

    @Test
    void should_run_a_deadline_honouring_call_once_on_the_calling_thread_with_the_limited_deadline() {
        SimulatedTime time = new SimulatedTime();
        java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Duration> budgets = new java.util.concurrent.CopyOnWriteArrayList<>();
        Route<String, String> limited = TimeLimit.of(Duration.ofMillis(300), Duration.ofMillis(50), executor)
                .decorateOnCallingThread(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
                    threads.add(Thread.currentThread());
                    budgets.add(d.remaining());
                    return "ok " + q;
                }));

        assertThat(limited.call("q", Deadline.after(Duration.ofSeconds(5), time))).isEqualTo("ok q");
        assertThat(limited.call("r", Deadline.after(Duration.ofMillis(200), time))).isEqualTo("ok r");

        assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
        // the smaller of the timeout and what the deadline leaves after the reserve
        assertThat(budgets).containsExactly(Duration.ofMillis(300), Duration.ofMillis(150));
    }

    @Test
    void should_report_a_deadline_honouring_call_that_gives_up_at_its_budget_as_timed_out() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // a call that honours its deadline: it waits until the deadline and gives up like a socket read time-out
        Route<String, String> honouring = Route.of(Tier.LLM_CHEAP, "slow", (q, d) -> {
            calls.incrementAndGet();
            try {
                new CountDownLatch(1).await(d.remaining().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new TimedOut("read timed out");
        });
        Route<String, String> limited = TimeLimit.of(Duration.ofMillis(150), Duration.ZERO, executor)
                .decorateOnCallingThread(honouring);
        long start = System.nanoTime();

        assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofSeconds(5), Ticker.system())))
                .isInstanceOf(TimedOut.class);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofSeconds(3));
        assertThat(calls).as("never sent twice").hasValue(1);
    }

    @Test
    void should_refuse_on_the_calling_thread_when_no_time_is_left_or_the_thread_is_interrupted() {
        SimulatedTime time = new SimulatedTime();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Route<String, String> limited = TimeLimit.of(Duration.ofSeconds(1), Duration.ofMillis(50), executor)
                .decorateOnCallingThread(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
                    calls.incrementAndGet();
                    return "ok";
                }));

        assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofMillis(40), time)))
                .isInstanceOf(TimedOut.class).hasMessageContaining("no time left");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofSeconds(5), time)))
                    .isInstanceOf(TimedOut.class).hasMessageContaining("interrupted");
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }
        assertThat(calls).hasValue(0);
    }

    @Test
    void should_pass_typed_failures_through_and_type_unexpected_ones_on_the_calling_thread() {
        TimeLimit limit = TimeLimit.of(Duration.ofSeconds(1), Duration.ZERO, executor);
        Route<String, String> malformed = limit.decorateOnCallingThread(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new MalformedResponse("prose");
        }));
        Route<String, String> buggy = limit.decorateOnCallingThread(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
            throw new IllegalStateException("bug");
        }));
        Deadline deadline = Deadline.after(Duration.ofSeconds(2), Ticker.system());

        assertThatThrownBy(() -> malformed.call("q", deadline)).isInstanceOf(MalformedResponse.class);
        assertThatThrownBy(() -> buggy.call("q", deadline)).isInstanceOf(Unavailable.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(limit.decorateOnCallingThread(hanging).describe()).isEqualTo("TimeLimit[1000ms](slow)");
    }

    @Test
    void should_hand_calls_beyond_the_inline_bound_to_the_executor_and_make_each_call_once() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Route<String, String> limited = TimeLimit.of(Duration.ofSeconds(10), Duration.ZERO, executor)
                .decorateOnCallingThread(Route.of(Tier.LLM_CHEAP, "m", (q, d) -> {
                    threads.add(Thread.currentThread());
                    if (q.equals("first")) {
                        inside.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return "ok " + q;
                }), 1);
        Deadline deadline = Deadline.after(Duration.ofSeconds(20), Ticker.system());
        Thread first = Thread.ofPlatform().start(() -> limited.call("first", deadline));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(limited.call("second", deadline)).isEqualTo("ok second"); // the bound is taken: handed off
        release.countDown();
        first.join(10_000);
        assertThat(limited.call("third", deadline)).isEqualTo("ok third"); // free again: inline

        assertThat(threads).hasSize(3);
        assertThat(threads.get(0)).isSameAs(first);
        assertThat(threads.get(1).isVirtual()).as("handed to the executor").isTrue();
        assertThat(threads.get(2)).isSameAs(Thread.currentThread());
    }

    @Test
    void should_time_out_a_hanging_call_handed_off_beyond_the_inline_bound() {
        Route<String, String> limited = TimeLimit.of(Duration.ofMillis(100), Duration.ZERO, executor)
                .decorateOnCallingThread(hanging, 0);

        assertThatThrownBy(() -> limited.call("q", Deadline.after(Duration.ofSeconds(5), Ticker.system())))
                .isInstanceOf(TimedOut.class);
        assertThatThrownBy(() -> TimeLimit.of(Duration.ofMillis(100), Duration.ZERO, executor)
                .decorateOnCallingThread(hanging, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
