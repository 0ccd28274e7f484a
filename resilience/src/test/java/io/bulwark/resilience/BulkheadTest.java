package io.bulwark.resilience;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkheadTest {

    @Test
    void should_refuse_with_503_server_busy_when_every_place_stays_taken_past_the_wait() throws Exception {
        Bulkhead bulkhead = Bulkhead.of(1, Duration.ZERO, "inferences", "test.max-concurrent");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> bulkhead.run(() -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> bulkhead.run(() -> "second")).isInstanceOf(RequestRejected.class)
                .satisfies(e -> {
                    assertThat(((RequestRejected) e).status()).isEqualTo(503);
                    assertThat(((RequestRejected) e).code()).isEqualTo("server_busy");
                });
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(bulkhead.run(() -> "third")).isEqualTo("third");
        assertThat(bulkhead.available()).isEqualTo(1);
    }

    @Test
    void should_let_a_waiting_call_through_once_a_place_frees_within_the_wait() throws Exception {
        Bulkhead bulkhead = Bulkhead.of(1, Duration.ofSeconds(30), "inferences", "test.max-concurrent");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> bulkhead.run(() -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> bulkhead.run(() -> "second"));
        release.countDown();
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void should_wait_no_longer_than_the_deadline_leaves() {
        SimulatedTime time = new SimulatedTime();
        Bulkhead bulkhead = Bulkhead.of(1, Duration.ofSeconds(30), "inferences", "test.max-concurrent");
        Bulkhead.Permit held = bulkhead.acquire(null);
        Deadline spent = Deadline.after(Duration.ZERO, time);

        assertThatThrownBy(() -> bulkhead.acquire(spent)).isInstanceOf(RequestRejected.class)
                .hasMessageContaining("within 0 ms");
        held.close();
        held.close(); // a second release does not make a second place
        assertThat(bulkhead.available()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_bulkhead_without_places() {
        assertThatThrownBy(() -> Bulkhead.of(0, Duration.ZERO, "inferences", "test.max-concurrent"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test.max-concurrent");
    }

    @Test
    void should_take_a_place_without_waiting_only_when_one_is_free() {
        Bulkhead bulkhead = Bulkhead.of(1, Duration.ofSeconds(30), "inferences", "test.max-concurrent");

        java.util.Optional<Bulkhead.Permit> first = bulkhead.tryAcquire();
        java.util.Optional<Bulkhead.Permit> second = bulkhead.tryAcquire();

        assertThat(first).isPresent();
        assertThat(second).as("no wait: empty at once while the place is taken").isEmpty();
        first.get().close();
        assertThat(bulkhead.tryAcquire()).isPresent();
        assertThat(bulkhead.available()).isZero();
    }
}
