package io.bulwark.resilience.cache;

import io.bulwark.resilience.embedding.Embedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class VectorIndexTest {

    private static final int D = 64;

    /** Clustered unit vectors, like sentence embeddings: a few hundred topics, each point near one. */
    private static float[][] clustered(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] topics = new float[300][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = FakeEmbedder.random(seed * 1000 + t);
        }
        float[][] out = new float[n][D];
        for (int i = 0; i < n; i++) {
            float[] topic = topics[r.nextInt(topics.length)];
            for (int j = 0; j < D; j++) {
                out[i][j] = topic[j] + (float) (r.nextGaussian() * 0.12);
            }
            Embedder.normalise(out[i]);
        }
        return out;
    }

    private static float[] near(float[] v, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[D];
        for (int j = 0; j < D; j++) {
            out[j] = v[j] + (float) (r.nextGaussian() * noise);
        }
        return Embedder.normalise(out);
    }

    @Test
    void should_find_the_same_near_duplicates_partitioned_as_by_exact_scan() {
        float[][] data = clustered(20_000, 1);
        VectorIndex exact = new VectorIndex(D, Integer.MAX_VALUE, 1, 1, 42);
        VectorIndex ivf = new VectorIndex(D, 1_000, 256, 8, 42);
        for (float[] v : data) {
            Integer id = exact.size();
            exact.add(v, id);
            ivf.add(v, id);
        }
        assertThat(ivf.partitioned()).isTrue();
        assertThat(exact.partitioned()).isFalse();

        int queries = 2_000;
        int expected = 0;
        int found = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = near(data[q * 7], 0.03, q);
            VectorIndex.Matches e = exact.search(query, 0.9f, 1);
            VectorIndex.Matches a = ivf.search(query, 0.9f, 1);
            if (e.count() > 0) {
                expected++;
                if (a.count() > 0 && a.payloads()[0].equals(e.payloads()[0])) {
                    found++;
                }
            }
        }
        System.out.printf("IVF recall of the best match above 0.9: %d / %d%n", found, expected);
        assertThat(expected).isGreaterThan(queries / 2);
        assertThat((double) found / expected).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void should_reuse_the_slot_of_a_removed_vector_and_never_return_it_again() {
        VectorIndex index = new VectorIndex(D, 10, 4, 2, 1);
        float[] a = FakeEmbedder.random(1);
        float[] b = FakeEmbedder.random(2);
        int slot = index.add(a, "a");

        assertThat(index.remove(slot, "not a")).isFalse();
        assertThat(index.remove(slot, "a")).isTrue();
        assertThat(index.search(a, 0.5f, 3).count()).isZero();
        assertThat(index.add(b, "b")).isEqualTo(slot);
        assertThat(index.search(b, 0.99f, 3).payloads()[0]).isEqualTo("b");
    }

    @Test
    void should_partition_on_the_maintenance_executor_and_serve_meanwhile_from_the_lists_it_has() {
        List<Runnable> scheduled = new ArrayList<>();
        VectorIndex index = new VectorIndex(D, 50, 16, 4, 3, scheduled::add);
        float[][] data = clustered(200, 5);
        for (int i = 0; i < data.length; i++) {
            index.add(data[i], "p" + i);
        }

        // Due since the 51st vector, scheduled once, not run by any addition.
        assertThat(scheduled).hasSize(1);
        assertThat(index.partitioned()).isFalse();
        assertThat(index.search(data[7], 0.999f, 1).payloads()[0]).isEqualTo("p7");

        scheduled.getFirst().run();

        assertThat(index.partitioned()).isTrue();
        assertThat(index.search(data[7], 0.999f, 1).payloads()[0]).isEqualTo("p7");
        index.add(FakeEmbedder.random(99), "after");
        assertThat(scheduled).hasSize(1); // 201 entries: the next partition is due at twice the size
    }

    @Test
    void should_answer_searches_while_it_partitions_and_defer_removals_until_the_new_lists_are_in()
            throws InterruptedException {
        List<Runnable> scheduled = new ArrayList<>();
        VectorIndex index = new VectorIndex(D, 50, 4_096, 8, 3, scheduled::add);
        float[][] data = clustered(40_000, 11);
        int[] slots = new int[data.length];
        Object[] payloads = new Object[data.length];
        for (int i = 0; i < data.length; i++) {
            payloads[i] = "p" + i;
            slots[i] = index.add(data[i], payloads[i]);
        }
        assertThat(scheduled).hasSize(1);
        long start = System.nanoTime();
        Thread partitioning = Thread.ofPlatform().start(scheduled.getFirst());

        int during = 0;
        boolean removed = false;
        boolean skipped = false;
        for (int q = 0; partitioning.isAlive(); q = (q + 7_919) % data.length) {
            boolean before = index.partitioning();
            VectorIndex.Matches m = index.search(data[q], 0.999f, 1);
            if (before && index.partitioning()) {
                during++;
                assertThat(m.count()).as("search %d while partitioning", q).isEqualTo(1);
                assertThat(m.payloads()[0]).isEqualTo("p" + q);
                if (!removed) {
                    removed = index.remove(slots[0], payloads[0]); // deferred: the lists are being laid out
                    skipped = index.add(FakeEmbedder.random(7), "late") == -1;
                }
            }
        }
        partitioning.join();
        System.out.printf("searches answered while partitioning %,d vectors: %d, all found (partitioning took %d ms)%n",
                data.length, during, (System.nanoTime() - start) / 1_000_000);

        assertThat(during).as("searches made while partitioning").isPositive();
        assertThat(removed).isTrue();
        assertThat(skipped).isTrue();
        assertThat(index.partitioned()).isTrue();
        assertThat(index.size()).isEqualTo(data.length - 1);
        assertThat(index.search(data[0], 0.999f, 1).count()).isZero();
        assertThat(index.search(data[1], 0.999f, 1).payloads()[0]).isEqualTo("p1");
    }

    @Test
    void should_keep_finding_every_vector_through_churn_once_partitioned() {
        VectorIndex index = new VectorIndex(D, 50, 16, 16, 3);
        float[][] data = clustered(2_000, 5);
        int[] slots = new int[data.length];
        Object[] payloads = new Object[data.length];
        for (int i = 0; i < data.length; i++) {
            payloads[i] = "p" + i;
            slots[i] = index.add(data[i], payloads[i]);
            if (i >= 100) {
                assertThat(index.remove(slots[i - 100], payloads[i - 100])).isTrue();
            }
        }
        assertThat(index.size()).isEqualTo(100);
        for (int i = data.length - 100; i < data.length; i++) {
            VectorIndex.Matches m = index.search(data[i], 0.999f, 1);
            assertThat(m.count()).as("vector %d", i).isEqualTo(1);
            assertThat(m.payloads()[0]).isEqualTo("p" + i);
        }
    }

    @Test
    void should_return_exactly_what_a_full_scan_returns_although_it_stops_most_dot_products_early() {
        float[][] data = clustered(5_000, 11);
        VectorIndex index = new VectorIndex(D, Integer.MAX_VALUE, 1, 1, 42);
        for (int i = 0; i < data.length; i++) {
            index.add(data[i], i);
        }
        SplittableRandom r = new SplittableRandom(3);
        int compared = 0;
        for (int q = 0; q < 600; q++) {
            float[] query = q % 3 == 0 ? FakeEmbedder.random(q) : near(data[r.nextInt(data.length)], 0.1, q);
            // full scan: every dot product to the end, the k best at or above the minimum
            float[] all = new float[data.length];
            for (int i = 0; i < data.length; i++) {
                all[i] = DotProducts.dot(data[i], 0, query, 0, D);
            }
            float[] sorted = all.clone();
            java.util.Arrays.sort(sorted);
            // minimums from loose to one exactly at a stored vector's similarity (the bound must not drop it)
            float[] minimums = {-1f, 0.5f, 0.9f, sorted[sorted.length - 1 - q % 5]};
            for (float minimum : minimums) {
                int k = 1 + q % 6;
                VectorIndex.Matches m = index.search(query, minimum, k);
                int expected = 0;
                for (int j = sorted.length - 1; j >= 0 && expected < k && sorted[j] >= minimum; j--) {
                    assertThat(m.similarities()[expected]).isEqualTo(sorted[j]); // bit for bit
                    expected++;
                }
                assertThat(m.count()).isEqualTo(expected);
                for (int i = 0; i < m.count(); i++) {
                    assertThat(all[(Integer) m.payloads()[i]]).isEqualTo(m.similarities()[i]);
                }
                compared += expected;
            }
        }
        assertThat(compared).isGreaterThan(2_000);
    }

    @Test
    void should_partition_again_with_more_centroids_as_it_grows() {
        VectorIndex index = new VectorIndex(D, 500, 256, 8, 42);
        float[][] data = clustered(9_000, 9);
        int listsAtFirstPartition = 0;
        for (int i = 0; i < data.length; i++) {
            index.add(data[i], i);
            if (i == 501) {
                listsAtFirstPartition = index.lists();
            }
        }
        // round(sqrt(501 * 8)) = 63 centroids at first, then 90, 127, 179 and 253 at 1,002, 2,004, 4,008, 8,016
        assertThat(listsAtFirstPartition).isEqualTo(63);
        assertThat(index.lists()).isEqualTo(253);
        for (int i = 0; i < data.length; i += 97) {
            VectorIndex.Matches m = index.search(data[i], 0.999f, 1);
            assertThat(m.count()).isEqualTo(1);
            assertThat(m.payloads()[0]).isEqualTo(i);
        }
    }

    @Test
    void should_compute_the_dot_product_of_any_length() {
        float[] a = {1, 2, 3, 4, 5, 6, 7};
        float[] b = {7, 6, 5, 4, 3, 2, 1};
        assertThat(DotProducts.dot(a, 0, b, 0, 7)).isEqualTo(84f);
        float[] c = new float[19];
        java.util.Arrays.fill(c, 1f);
        assertThat(DotProducts.dot(c, 0, c, 0, 19)).isEqualTo(19f);
        assertThat(DotProducts.dot(a, 2, b, 1, 3)).isEqualTo(3 * 6 + 4 * 5 + 5 * 4f);
    }
}
