package io.bulwark.resilience.cache;

import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003, Exercise 2, as written — {@code SemanticCache(threshold=0.85)} — with the real in-process MiniLM
 * and no guard (the polarity guard is for sentiment answers). The threshold the sentiment chain uses by
 * default is chosen separately, on the amazon sentences (BENCHMARKS.md).
 */
class SeedSemanticCacheTest {

    /** The seed's {@code similarity_threshold}. */
    static final double SEED_THRESHOLD = 0.85;
    private static Embedder miniLm;

    @BeforeAll
    static void load() {
        miniLm = Embedders.miniLm();
    }

    @Test
    void should_answer_weather_paraphrases_from_the_cache_and_nothing_for_another_language() {
        SemanticCache<String> cache = SemanticCache.<String>builder().embedder(miniLm).threshold(SEED_THRESHOLD).build();

        cache.add("What's the weather today?", "Sunny, 72°F");
        cache.add("How's the weather?", "Sunny, 72°F");
        cache.add("Tell me about Python", "Python is a programming language");

        assertThat(cache.findSimilar("What is the weather?")).map(SemanticCache.Hit::value).contains("Sunny, 72°F");
        assertThat(cache.findSimilar("Weather today?")).map(SemanticCache.Hit::value).contains("Sunny, 72°F");
        assertThat(cache.findSimilar("Tell me about Java")).isEmpty();
    }

    @Test
    void should_report_the_similarity_of_the_best_match() {
        SemanticCache<String> cache = SemanticCache.<String>builder().embedder(miniLm).threshold(SEED_THRESHOLD).build();
        cache.add("What's the weather today?", "Sunny, 72°F");
        cache.add("Tell me about Python", "Python is a programming language");

        SemanticCache.Hit<String> hit = cache.findSimilar("What is the weather today?").orElseThrow();

        assertThat(hit.cachedQuery()).isEqualTo("What's the weather today?");
        assertThat(hit.similarity()).isBetween(SEED_THRESHOLD, 1.0);
    }

    @Test
    void should_embed_to_unit_length_vectors_of_the_announced_dimension() {
        float[] v = miniLm.embed("Tell me about Java");

        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(v).hasSize(Embedders.MINILM_DIMENSION);
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    /** Prints the similarities behind the assertions above, for the record. */
    @Test
    void should_score_the_seed_pairs_as_measured() {
        String[][] pairs = {
                {"What is the weather?", "What's the weather today?"},
                {"What is the weather?", "How's the weather?"},
                {"Weather today?", "What's the weather today?"},
                {"Weather today?", "How's the weather?"},
                {"Tell me about Java", "Tell me about Python"},
                {"I would definitely recommend it", "I would definitely not recommend it"},
        };
        for (String[] p : pairs) {
            double sim = DotProducts.dot(miniLm.embed(p[0]), 0, miniLm.embed(p[1]), 0, Embedders.MINILM_DIMENSION);
            System.out.printf("cosine %.4f  %s | %s%n", sim, p[0], p[1]);
            assertThat(sim).isBetween(-1.0, 1.0001);
        }
    }
}
