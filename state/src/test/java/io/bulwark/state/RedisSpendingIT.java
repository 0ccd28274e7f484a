package io.bulwark.state;

import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.Reservation;
import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RedisSpendingIT {

    @TempDir
    Path dir;
    RedisServer redis;
    SharedState a;
    SharedState b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        a = connected(redis.url());
        b = connected(redis.url());
    }

    static SharedState connected(String url) {
        // a loaded 2-core machine running 16 threads of Lua scripts: a generous time-out, so that the test measures
        // the shared count (its last assertion checks that no command fell back to process state)
        SharedState s = SharedState.connect(StateConfig.of(url).withKeyPrefix("test:").withTimeout(Duration.ofSeconds(2)));
        Await.until(Duration.ofSeconds(20), "connected to Redis", () -> s.health().available());
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void should_spend_at_most_the_limit_plus_one_call_when_two_instances_hold_concurrently() throws Exception {
        Clock clock = Clock.systemUTC();
        double limit = 0.5;
        double most = 0.01;
        double cost = 0.008;
        DailyBudget one = DailyBudget.shared(limit, 0.8, clock, a.spending());
        DailyBudget two = DailyBudget.shared(limit, 0.8, clock, b.spending());
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            DailyBudget budget = i % 2 == 0 ? one : two;
            calls.add(pool.submit(() -> {
                Optional<Reservation> hold = budget.reserve(most);
                if (hold.isEmpty()) {
                    refused.incrementAndGet();
                    return;
                }
                granted.incrementAndGet();
                Thread.onSpinWait(); // the paid call
                hold.get().settle(cost);
            }));
        }
        for (Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();

        double spent = a.spending().read(LocalDate.now(clock.withZone(ZoneOffset.UTC))).spent();
        assertThat(spent).isLessThanOrEqualTo(limit + most + 1e-9);
        assertThat(spent).isCloseTo(granted.get() * cost, within(1e-9));
        assertThat(refused.get()).isPositive();
        assertThat(a.spending().read(LocalDate.now(clock.withZone(ZoneOffset.UTC))).held()).isCloseTo(0, within(1e-12));
        assertThat(two.state()).isEqualTo(DailyBudget.State.EXHAUSTED);
        assertThat(a.health().failures() + b.health().failures()).isZero();
    }

    @Test
    void should_free_the_hold_of_a_released_call() {
        LocalDate day = LocalDate.of(2026, 11, 29);
        assertThat(a.spending().hold(day, "x", 0.4, 0.5).granted()).isTrue();
        assertThat(b.spending().read(day).held()).isCloseTo(0.4, within(1e-12));

        b.spending().settle(day, "x", 0.4, 0);

        assertThat(a.spending().read(day)).isEqualTo(new io.bulwark.costing.SharedSpending.Totals(0, 0));
    }

    @Test
    void should_keep_answering_from_process_state_while_redis_is_down_and_hand_the_spending_over_after()
            throws Exception {
        SimulatedTime time = new SimulatedTime();
        time.advance(Duration.ofSeconds(LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                - time.clock().instant().getEpochSecond()));
        time.advance(Duration.ofHours(12));
        LocalDate day = LocalDate.ofInstant(time.clock().instant(), ZoneOffset.UTC);
        DailyBudget budget = DailyBudget.shared(1.0, 0.8, time.clock(), a.spending());
        budget.reserve(0.1).orElseThrow().settle(0.1);

        redis.kill();
        long start = System.nanoTime();
        Reservation offline = budget.reserve(0.1).orElseThrow();
        offline.settle(0.05);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(a.health().available()).isFalse();
        assertThat(budget.spentToday()).isCloseTo(0.15, within(1e-12));

        redis.start(); // an empty Redis: the day's count restarts from what this instance hands over
        Await.until(Duration.ofSeconds(30), "Redis answers again", () -> {
            try {
                a.spending().read(day);
                return true;
            } catch (SharedStateUnavailable e) {
                return false;
            }
        });
        budget.reserve(0.1).orElseThrow().settle(0.01);
        assertThat(a.health().available()).isTrue();
        assertThat(a.health().recoveries()).isPositive();
        assertThat(a.spending().read(day).spent()).isCloseTo(0.06, within(1e-12));
    }
}
