package io.bulwark.resilience.cache;

import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExactCacheTest {

    private final SimulatedTime time = new SimulatedTime();
    private final ExactCache<String> cache = ExactCache.create(100, Duration.ofMinutes(10), time);

    @Test
    void should_hit_for_text_differing_only_in_case_and_spacing() {
        cache.put("I love this  product!", "positive");

        assertThat(cache.get("  i LOVE this product!\n")).contains("positive");
        assertThat(cache.get("I love this product")).isEmpty();
    }

    @Test
    void should_forget_entries_after_their_ttl() {
        cache.put("text", "positive");
        time.advance(Duration.ofMinutes(9));
        assertThat(cache.get("text")).contains("positive");

        time.advance(Duration.ofMinutes(2));
        assertThat(cache.get("text")).isEmpty();
    }

    @Test
    void should_stay_within_its_maximum_size() {
        for (int i = 0; i < 1_000; i++) {
            cache.put("text " + i, "v");
        }

        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void should_normalise_unicode_compatibility_forms() {
        assertThat(ExactCache.normalise("ｆｕｌｌ　width")).isEqualTo("full width");
    }
}
