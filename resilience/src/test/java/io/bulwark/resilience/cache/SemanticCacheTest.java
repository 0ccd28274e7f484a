package io.bulwark.resilience.cache;

import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemanticCacheTest {

    private final SimulatedTime time = new SimulatedTime();
    private final FakeEmbedder embedder = new FakeEmbedder();

    private SemanticCache.Builder<String> builder() {
        return SemanticCache.<String>builder().embedder(embedder).ticker(time).threshold(0.9);
    }

    @Test
    void should_hit_at_the_threshold_and_miss_just_below_it() {
        embedder.put("at", "cached", 0.9001).put("below", "cached", 0.8999);
        SemanticCache<String> cache = builder().build();
        cache.add("cached", "answer");

        assertThat(cache.findSimilar("at")).map(SemanticCache.Hit::similarity).hasValueSatisfying(
                s -> assertThat(s).isBetween(0.9, 0.9002));
        assertThat(cache.findSimilar("below")).isEmpty();
        assertThat(cache.stats()).isEqualTo(new SemanticCache.Stats(1, 1, 0));
    }

    @Test
    void should_return_the_most_similar_of_several_hits() {
        embedder.put("a", "q", 0.92).put("b", "q", 0.97).put("c", "q", 0.95);
        SemanticCache<String> cache = builder().build();
        cache.add("a", "A");
        cache.add("b", "B");
        cache.add("c", "C");

        assertThat(cache.findSimilar("q").orElseThrow().value()).isEqualTo("B");
    }

    @Test
    void should_offer_the_next_candidate_when_the_guard_rejects_the_best() {
        embedder.put("best", "q", 0.98).put("next", "q", 0.95);
        SemanticCache<String> cache = builder().guard((query, hit) -> !hit.cachedQuery().equals("best")).build();
        cache.add("best", "rejected");
        cache.add("next", "served");

        assertThat(cache.findSimilar("q").orElseThrow().value()).isEqualTo("served");
    }

    @Test
    void should_count_a_miss_and_a_rejection_when_the_guard_rejects_every_candidate() {
        embedder.put("near", "q", 0.99);
        SemanticCache<String> cache = builder().guard((query, hit) -> false).build();
        cache.add("near", "answer");

        assertThat(cache.findSimilar("q")).isEmpty();
        assertThat(cache.stats()).isEqualTo(new SemanticCache.Stats(0, 1, 1));
    }

    @Test
    void should_forget_entries_after_their_ttl() {
        embedder.put("q", "cached", 0.95);
        SemanticCache<String> cache = SemanticCache.<String>builder().embedder(embedder).ticker(time)
                .threshold(0.9).ttl(Duration.ofMinutes(10)).build();
        cache.add("cached", "answer");
        time.advance(Duration.ofMinutes(9));
        assertThat(cache.findSimilar("q")).isPresent();

        time.advance(Duration.ofMinutes(2));

        assertThat(cache.findSimilar("q")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void should_stay_within_its_maximum_size_and_keep_its_index_in_step() {
        // partitioning within the addition (not on a background thread) so the index's state is the one asserted
        SemanticCache<String> cache = SemanticCache.<String>builder().embedder(embedder).ticker(time)
                .maximumSize(50).exactSearchLimit(20).partitions(8).maintenance(Runnable::run).build();
        for (int i = 0; i < 1_000; i++) {
            cache.add("text " + i, "v" + i);
        }

        assertThat(cache.size()).isLessThanOrEqualTo(50);
        VectorIndex index = ((DefaultSemanticCache<String>) cache).index();
        assertThat(index.size()).isEqualTo(cache.size());
        assertThat(index.partitioned()).isTrue();
        // every entry still cached is still found, by its own text
        long found = 0;
        for (int i = 0; i < 1_000; i++) {
            found += cache.findSimilar("text " + i).filter(h -> h.similarity() > 0.999).isPresent() ? 1 : 0;
        }
        assertThat(found).isEqualTo(cache.size());
    }

    @Test
    void should_embed_a_probe_once_for_lookup_and_add() {
        SemanticCache<String> cache = builder().build();
        SemanticCache.Probe probe = cache.probe("new text");

        cache.findSimilar(probe);
        cache.add(probe, "answer");

        assertThat(embedder.calls).isEqualTo(1);
        assertThat(cache.findSimilar(probe)).map(SemanticCache.Hit::value).contains("answer");
    }

    @Test
    void should_stay_consistent_under_concurrent_adds_and_lookups() throws Exception {
        SemanticCache<String> cache = SemanticCache.<String>builder().embedder(embedder).ticker(time)
                .maximumSize(300).exactSearchLimit(100).partitions(16).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            tasks.add(pool.submit(() -> {
                int wrong = 0;
                for (int i = 0; i < 500; i++) {
                    String text = "t" + thread + "-" + i;
                    cache.add(text, text);
                    wrong += cache.findSimilar(text).filter(h -> !h.value().equals(h.cachedQuery())).isPresent()
                            ? 1 : 0;
                }
                return wrong;
            }));
        }
        int wrong = 0;
        for (Future<Integer> f : tasks) {
            wrong += f.get();
        }
        pool.shutdown();

        assertThat(wrong).isZero();
        assertThat(cache.size()).isLessThanOrEqualTo(300);
        assertThat(((DefaultSemanticCache<String>) cache).index().size()).isEqualTo(cache.size());
    }

    @Test
    void should_refuse_bad_settings_and_a_second_call_at_build_time() {
        assertThatThrownBy(() -> builder().threshold(0.8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> SemanticCache.builder().threshold(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemanticCache.builder().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemanticCache.builder().maximumSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemanticCache.builder().candidates(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemanticCache.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embedder");
    }
}
