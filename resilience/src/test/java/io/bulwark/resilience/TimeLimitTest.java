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
}
