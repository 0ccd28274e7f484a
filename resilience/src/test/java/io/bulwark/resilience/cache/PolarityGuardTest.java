package io.bulwark.resilience.cache;

import io.bulwark.resilience.sentiment.SentimentLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.bulwark.resilience.sentiment.SentimentLabel.NEGATIVE;
import static io.bulwark.resilience.sentiment.SentimentLabel.NEUTRAL;
import static io.bulwark.resilience.sentiment.SentimentLabel.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;

class PolarityGuardTest {

    /** A stand-in local model: knows a few texts, calls the rest positive. */
    private static final Map<String, SentimentLabel> LOCAL = Map.of(
            "I would definitely not recommend it", NEGATIVE,
            "Terrible battery", NEGATIVE,
            "The box is blue", POSITIVE,
            "The case is blue", NEGATIVE);

    private final PolarityGuard<SentimentLabel> guard = PolarityGuard.of(t -> LOCAL.getOrDefault(t, POSITIVE), l -> l);

    private static SemanticCache.Hit<SentimentLabel> hit(String cachedText, SentimentLabel label) {
        return new SemanticCache.Hit<>(label, 0.95, cachedText);
    }

    @Test
    void should_block_negation_the_cached_text_lacks_even_when_the_local_model_agrees() {
        assertThat(guard.allows("I would never recommend it", hit("I would definitely recommend it", POSITIVE)))
                .isFalse();
        assertThat(guard.allows("I wouldn't recommend it", hit("I would recommend it", POSITIVE))).isFalse();
    }

    @Test
    void should_block_negation_only_the_cached_text_has() {
        assertThat(guard.allows("It works", hit("It doesn’t work", NEGATIVE))).isFalse();
    }

    @Test
    void should_block_a_contrast_the_cached_text_lacks() {
        assertThat(guard.allows("Great screen, but the battery dies fast", hit("Great screen", POSITIVE))).isFalse();
    }

    @Test
    void should_block_when_the_local_model_disagrees_with_the_cached_label() {
        assertThat(guard.allows("Terrible battery", hit("Great battery", POSITIVE))).isFalse();
    }

    @Test
    void should_serve_a_paraphrase_with_the_same_cues_and_an_agreeing_local_model() {
        assertThat(guard.allows("Honestly, I would recommend it", hit("I would recommend it", POSITIVE))).isTrue();
        assertThat(guard.allows("I do not like it at all", hit("I don't like it", POSITIVE))).isTrue();
    }

    @Test
    void should_serve_a_cached_neutral_only_when_the_local_model_sees_both_texts_alike() {
        assertThat(guard.allows("The box is blue", hit("The box is blue!", NEUTRAL))).isTrue();
        assertThat(guard.allows("The case is blue", hit("The box is blue", NEUTRAL))).isFalse();
    }

    @Test
    void should_never_serve_an_uncertain_answer() {
        assertThat(guard.allows("anything", hit("anything", SentimentLabel.UNCERTAIN))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "I would recommend it|0|0",
            "I would not recommend it|1|0",
            "I didn't like it and won't buy again|2|0",
            "Good, but pricey|0|1",
            "Cannot fault it, however the strap is weak|1|1",
            "Nothing worked|1|0",
            "Note: it's nice|0|0",
    })
    void should_count_negators_and_contrast_words(String text, int negations, int contrasts) {
        assertThat(PolarityCues.of(text)).isEqualTo(new PolarityCues(negations, contrasts));
    }
}
