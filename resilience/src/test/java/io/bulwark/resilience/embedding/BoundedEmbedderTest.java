package io.bulwark.resilience.embedding;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedEmbedderTest {

    /** Embeds only when released; tells when an embedding has started. */
    private static final class Gate implements Embedder {
        final CountDownLatch started = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[] embed(String text) {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[]{1, 0};
        }
    }

    @Test
    void refusesAtOnceWhileAsManyAsItAllowsAreRunningAndTakesTheNextWhenOneEnds() throws Exception {
        Gate gate = new Gate();
        Embedder bounded = Embedders.bounded(gate, 2);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<float[]> first = pool.submit(() -> bounded.embed("a"));
            Future<float[]> second = pool.submit(() -> bounded.embed("b"));
            assertThat(gate.started.await(10, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            assertThatThrownBy(() -> bounded.embed("c")).isInstanceOf(EmbedderBusy.class)
                    .hasMessageContaining("gate").hasMessageContaining("2");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("refused without waiting")
                    .isLessThan(5_000);

            gate.release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1, 0);
            assertThat(second.get(10, TimeUnit.SECONDS)).containsExactly(1, 0);
        }
        assertThat(bounded.embed("d")).as("the permits came back").containsExactly(1, 0);
    }

    @Test
    void aFailingEmbeddingGivesItsPermitBack() {
        Embedder failing = new Embedder() {
            public String name() {
                return "failing";
            }

            public int dimension() {
                return 2;
            }

            public float[] embed(String text) {
                throw new IllegalStateException("down");
            }
        };
        Embedder bounded = Embedders.bounded(failing, 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> bounded.embed("x")).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> Embedders.bounded(failing, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
