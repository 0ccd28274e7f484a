package io.bulwark.sentiment.guard;

import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.sentiment.SentimentLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.bulwark.sentiment.SentimentLabel.NEGATIVE;
import static io.bulwark.sentiment.SentimentLabel.NEUTRAL;
import static io.bulwark.sentiment.SentimentLabel.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;

class PolarityGuardTest {

    private static final double OFF = Double.POSITIVE_INFINITY;

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
                PolarityGuardTest::evidence, l -> l, new PolarityGuard.Checks(false, true, 2.0, OFF));
        assertThat(wordsOnly.allows(query, hit(cached, POSITIVE))).isFalse();

        assertThat(guard.allows(query, hit(cached, POSITIVE))).isFalse();
        PolarityGuard<SentimentLabel> withoutWords = PolarityGuard.of(t -> LOCAL.getOrDefault(t, 0.8),
                PolarityGuardTest::evidence, l -> l, new PolarityGuard.Checks(false, true, OFF, OFF));
        assertThat(withoutWords.allows(query, hit(cached, POSITIVE))).isTrue();
    }

    @Test
    void should_block_a_swapped_word_the_lexicon_rates_though_the_local_model_hardly_weighs_it() {
        String cached = "It is light, easy to use, and has very clear reception";
        String query = "It is light, difficult to use, and has very clear reception";
        assertThat(guard.allows(query, hit(cached, POSITIVE))).isFalse();

        PolarityGuard<SentimentLabel> withoutLexicon = PolarityGuard.of(t -> LOCAL.getOrDefault(t, 0.8),
                PolarityGuardTest::evidence, l -> l, new PolarityGuard.Checks(true, true, 2.0, OFF));
        assertThat(withoutLexicon.allows(query, hit(cached, POSITIVE))).isTrue();
    }

    @Test
    void should_block_a_lexicon_shift_even_when_it_leans_towards_the_cached_label() {
        PolarityGuard<SentimentLabel> lexiconOnly = PolarityGuard.of(t -> 0.5, w -> 0.0, l -> l,
                new PolarityGuard.Checks(false, false, OFF, 1.0));
        // "easy" +1 → "difficult" −1 leans negative, yet "breaks difficult" is no longer the complaint it was
        assertThat(lexiconOnly.allows("The plastic breaks really difficult",
                hit("The plastic breaks really easy", NEGATIVE))).isFalse();
        assertThat(lexiconOnly.allows("It arrived damaged", hit("It arrived", NEGATIVE))).isFalse();
    }

    @Test
    void should_serve_a_word_swapped_for_one_of_about_the_same_valence() {
        assertThat(guard.allows("It's a great phone", hit("It's a good phone", POSITIVE))).isTrue();
        assertThat(guard.allows("It's a fine phone", hit("It's a good phone", POSITIVE))).isTrue();
        PolarityGuard<SentimentLabel> lexiconOnly = PolarityGuard.of(t -> 0.5, w -> 0.0, l -> l,
                new PolarityGuard.Checks(false, false, OFF, 1.0));
        assertThat(lexiconOnly.allows("It arrived broken", hit("It arrived", NEGATIVE))).isTrue();
    }

    @Test
    void should_allow_a_lexicon_shift_up_to_the_configured_maximum() {
        PolarityGuard<SentimentLabel> tolerant = PolarityGuard.of(t -> 0.5, w -> 0.0, l -> l,
                new PolarityGuard.Checks(false, false, OFF, 2.0));
        assertThat(tolerant.allows("It is difficult to use", hit("It is easy to use", POSITIVE))).isTrue();
        assertThat(tolerant.allows("It is useless", hit("It is fine", POSITIVE))).isFalse();
    }

    @Test
    void should_read_the_lexicon_from_the_given_words() {
        ValenceLexicon tiny = ValenceLexicon.of(Map.of("meh", -4, "Swell", 4, "not bad", 2));
        PolarityGuard<SentimentLabel> guarded = PolarityGuard.of(t -> 0.5, w -> 0.0, l -> l,
                new PolarityGuard.Checks(false, false, OFF, 1.0), tiny);
        assertThat(guarded.allows("It is meh", hit("It is swell", POSITIVE))).isFalse();
        assertThat(guarded.allows("It is difficult", hit("It is easy", POSITIVE))).isTrue();
        assertThat(tiny.size()).isEqualTo(2);
        assertThat(tiny.sum("swell meh swell")).isEqualTo(4);
    }

    @Test
    void should_rate_single_words_with_afinn_and_skip_its_phrases() {
        ValenceLexicon afinn = ValenceLexicon.afinn165();
        assertThat(afinn.size()).isEqualTo(3382 - 30);
        assertThat(afinn.valence("good")).isEqualTo(3);
        assertThat(afinn.valence("difficult")).isEqualTo(-1);
        assertThat(afinn.valence("failed")).isEqualTo(-2);
        assertThat(afinn.valence("phone")).isZero();
        assertThat(afinn.valence("does not work")).isZero();
        assertThat(afinn.sum("")).isZero();
        assertThat(afinn.sum("easy difficult")).isZero();
        assertThat(afinn.sum("superb  useless")).isEqualTo(3);
    }

    @Test
    void should_reject_a_negative_lexicon_shift() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PolarityGuard.Checks(true, true, 2.0, -1.0));
    }

    @Test
    void should_name_its_checks() {
        assertThat(guard.toString()).contains("lexicon valence shift <= 1.0");
        PolarityGuard<SentimentLabel> none = PolarityGuard.of(t -> 0.5, w -> 0.0, l -> l,
                new PolarityGuard.Checks(false, false, OFF, OFF));
        assertThat(none.toString()).isEqualTo("Polarity(no checks)");
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
