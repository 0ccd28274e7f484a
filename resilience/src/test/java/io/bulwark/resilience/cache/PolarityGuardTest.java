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

    /** A stand-in local model: the positive probability of a few texts, 0.8 for the rest. */
    private static final Map<String, Double> LOCAL = Map.of(
            "Terrible battery", 0.2,
            "The box is blue", 0.55,
            "The case is blue", 0.5,
            "It's a fine phone", 0.9,
            "It's a poor phone", 0.6);

    /** A stand-in for the local model's word evidence: two strongly polar words, the rest neutral. */
    private static final Map<String, Double> EVIDENCE = Map.of("impressed", 2.5, "unimpressed", -2.5);

    private static double evidence(String words) {
        double sum = 0;
        for (String w : words.split(" ")) {
            sum += EVIDENCE.getOrDefault(w, 0.0);
        }
        return sum;
    }

    private final PolarityGuard<SentimentLabel> guard = PolarityGuard.of(t -> LOCAL.getOrDefault(t, 0.8),
            PolarityGuardTest::evidence, l -> l);

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
    void should_block_a_swapped_sentiment_word_though_the_whole_text_keeps_its_label() {
        String cached = "I was very impressed with the price of the cases";
        String query = "I was very unimpressed with the price of the cases";
        PolarityGuard<SentimentLabel> wordsOnly = PolarityGuard.of(t -> LOCAL.getOrDefault(t, 0.8),
                PolarityGuardTest::evidence, l -> l, new PolarityGuard.Checks(false, true, 2.0));
        assertThat(wordsOnly.allows(query, hit(cached, POSITIVE))).isFalse();

        assertThat(guard.allows(query, hit(cached, POSITIVE))).isFalse();
        PolarityGuard<SentimentLabel> withoutWords = PolarityGuard.of(t -> LOCAL.getOrDefault(t, 0.8),
                PolarityGuardTest::evidence, l -> l, new PolarityGuard.Checks(false, true, Double.POSITIVE_INFINITY));
        assertThat(withoutWords.allows(query, hit(cached, POSITIVE))).isTrue();
    }

    @Test
    void should_block_a_word_negated_by_its_prefix() {
        assertThat(guard.allows("Uncomfortable, nice range", hit("Comfortable, nice range", POSITIVE))).isFalse();
        assertThat(guard.allows("I am dissatisfied", hit("I am satisfied", POSITIVE))).isFalse();
        assertThat(guard.allows("It is important", hit("It is portant", POSITIVE))).isFalse();
        assertThat(guard.allows("Under the hood it is great", hit("The hood it is great", POSITIVE))).isTrue();
    }

    @Test
    void should_list_the_words_by_which_two_texts_differ() {
        assertThat(WordDifference.of("Honestly, it isn't great", "It isn’t GREAT!"))
                .isEqualTo(new WordDifference("honestly", ""));
        assertThat(WordDifference.of("easy to use", "difficult to use"))
                .isEqualTo(new WordDifference("easy", "difficult"));
    }

    @Test
    void should_serve_a_paraphrase_with_the_same_cues_and_an_agreeing_local_model() {
        assertThat(guard.allows("Honestly, I would recommend it", hit("I would recommend it", POSITIVE))).isTrue();
        assertThat(guard.allows("I do not like it at all", hit("I don't like it", POSITIVE))).isTrue();
    }

    @Test
    void should_serve_a_cached_neutral_only_when_the_local_model_sees_both_texts_alike() {
        assertThat(guard.allows("The box is blue", hit("The box is blue", NEUTRAL))).isTrue();
        assertThat(guard.allows("The case is blue", hit("The box is blue", NEUTRAL))).isTrue();
        assertThat(guard.allows("Terrible battery", hit("The box is blue", NEUTRAL))).isFalse();
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
