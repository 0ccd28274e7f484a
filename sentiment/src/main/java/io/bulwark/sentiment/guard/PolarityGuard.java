package io.bulwark.sentiment.guard;

import io.bulwark.resilience.cache.HitGuard;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.sentiment.SentimentLabel;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The guard of a semantic cache of sentiment answers: a hit is served only if nothing suggests the new text
 * has a different sentiment from the cached one. Four checks, each can be turned off for measurement:
 * <ol>
 *   <li><b>cues</b> — the new and the cached text have the same number of negators ({@code not},
 *       {@code never}, {@code n't}, ...) and of contrast words ({@code but}, {@code however}, ...), and neither
 *       has a word the other has with a negating prefix ("uncomfortable" against "comfortable"): negation or
 *       contrast that only one of them has blocks the hit;</li>
 *   <li><b>label</b> — the local model's label for the new text equals the cached label;</li>
 *   <li><b>words</b> — the words by which the two texts differ carry little sentiment: the local model's
 *       evidence (sum of weights) of the words only the new text has and of those only the cached text has
 *       differ by at most {@code maxWordEvidence}. This catches a swapped sentiment word ("impressed" →
 *       "unimpressed", "easy" → "difficult") in a long sentence, where it barely moves the whole text's
 *       label;</li>
 *   <li><b>lexicon</b> — the same question asked of an independent, general-purpose polarity lexicon
 *       ({@link ValenceLexicon}, AFINN-165 by default): the sums of the lexicon valences of the words only
 *       the new text has and of those only the cached text has differ by at most {@code maxLexiconShift}.
 *       The local model, trained on a few thousand sentences, hardly weighs some common sentiment words
 *       ("difficult", "failed"); the lexicon rates them. The check is symmetric, not "against the cached
 *       label": a lexicon knows a word's prior polarity, not its polarity in context ("breaks easily" is a
 *       complaint), so a sizeable shift either way means the two texts may not deserve the same answer.</li>
 * </ol>
 * For a cached {@code neutral} (which the binary local model never gives) the label check compares the local
 * model's labels of the two texts instead; an {@code uncertain} answer is never served. The guard only ever turns hits into misses, which cost a model
 * call, never a wrong answer.
 *
 * @param <V> the cached answer
 */
public final class PolarityGuard<V> implements HitGuard<V> {

    /** The largest difference of evidence the differing words may carry (chosen in BENCHMARKS.md). */
    public static final double DEFAULT_MAX_WORD_EVIDENCE = 2.0;
    /**
     * The largest shift of lexicon valence the differing words may carry: 1 lets a word give way to a
     * slightly stronger or weaker one of the same polarity ("good" 3 → "fine" 2), and refuses the mildest
     * swap of polarity ("easy" +1 → "difficult" −1) and any added or dropped word rated ±2 or more (chosen
     * in BENCHMARKS.md).
     */
    public static final double DEFAULT_MAX_LEXICON_SHIFT = 1.0;

    /**
     * Which checks run; an infinite {@code maxWordEvidence} turns the word check off, an infinite
     * {@code maxLexiconShift} the lexicon check.
     */
    public record Checks(boolean cues, boolean label, double maxWordEvidence, double maxLexiconShift) {
        public Checks {
            if (!(maxWordEvidence >= 0.0)) {
                throw new IllegalArgumentException("maxWordEvidence must not be negative: " + maxWordEvidence);
            }
            if (!(maxLexiconShift >= 0.0)) {
                throw new IllegalArgumentException("maxLexiconShift must not be negative: " + maxLexiconShift);
            }
        }

        public static Checks all() {
            return new Checks(true, true, DEFAULT_MAX_WORD_EVIDENCE, DEFAULT_MAX_LEXICON_SHIFT);
        }
    }

    private final ToDoubleFunction<String> positiveProbability;
    private final ToDoubleFunction<String> evidence;
    private final Function<? super V, SentimentLabel> labelOf;
    private final Checks checks;
    private final ValenceLexicon lexicon;

    private PolarityGuard(ToDoubleFunction<String> positiveProbability, ToDoubleFunction<String> evidence,
                          Function<? super V, SentimentLabel> labelOf, Checks checks, ValenceLexicon lexicon) {
        this.positiveProbability = Objects.requireNonNull(positiveProbability, "positiveProbability");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.labelOf = Objects.requireNonNull(labelOf, "labelOf");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
    }

    /**
     * Returns the guard with every check.
     *
     * @param positiveProbability the local model's probability that a text is positive (its label is
     *                            positive at 0.5 and above); cheap, it runs on every lookup with a candidate
     * @param evidence            the local model's raw evidence of a few words (positive leans positive)
     * @param labelOf             the label of a cached answer
     */
    public static <V> PolarityGuard<V> of(ToDoubleFunction<String> positiveProbability,
                                          ToDoubleFunction<String> evidence,
                                          Function<? super V, SentimentLabel> labelOf) {
        return of(positiveProbability, evidence, labelOf, Checks.all());
    }

    /** Returns the guard with the given checks and the AFINN-165 lexicon. */
    public static <V> PolarityGuard<V> of(ToDoubleFunction<String> positiveProbability,
                                          ToDoubleFunction<String> evidence,
                                          Function<? super V, SentimentLabel> labelOf, Checks checks) {
        return of(positiveProbability, evidence, labelOf, checks, ValenceLexicon.afinn165());
    }

    /** Returns the guard with the given checks and lexicon. */
    public static <V> PolarityGuard<V> of(ToDoubleFunction<String> positiveProbability,
                                          ToDoubleFunction<String> evidence,
                                          Function<? super V, SentimentLabel> labelOf, Checks checks,
                                          ValenceLexicon lexicon) {
        return new PolarityGuard<>(positiveProbability, evidence, labelOf, checks, lexicon);
    }

    @Override
    public boolean allows(String query, SemanticCache.Hit<V> hit) {
        SentimentLabel cached = labelOf.apply(hit.value());
        if (cached == SentimentLabel.UNCERTAIN) {
            return false;
        }
        WordDifference d = WordDifference.of(query, hit.cachedQuery());
        if (checks.cues() && (!PolarityCues.of(query).equals(PolarityCues.of(hit.cachedQuery()))
                || d.negatesByPrefix())) {
            return false;
        }
        if (checks.label()) {
            double p = positiveProbability.applyAsDouble(query);
            SentimentLabel local = p >= 0.5 ? SentimentLabel.POSITIVE : SentimentLabel.NEGATIVE;
            SentimentLabel expected = cached != SentimentLabel.NEUTRAL ? cached
                    : positiveProbability.applyAsDouble(hit.cachedQuery()) >= 0.5
                    ? SentimentLabel.POSITIVE : SentimentLabel.NEGATIVE;
            if (local != expected) {
                return false;
            }
        }
        if (!Double.isInfinite(checks.maxLexiconShift())
                && Math.abs(lexicon.sum(d.onlyInFirst()) - lexicon.sum(d.onlyInSecond())) > checks.maxLexiconShift()) {
            return false;
        }
        return Double.isInfinite(checks.maxWordEvidence())
                || Math.abs(evidence.applyAsDouble(d.onlyInFirst()) - evidence.applyAsDouble(d.onlyInSecond()))
                <= checks.maxWordEvidence();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Polarity(");
        if (checks.cues()) {
            sb.append("same negation/contrast cues, ");
        }
        if (checks.label()) {
            sb.append("local model agrees, ");
        }
        if (!Double.isInfinite(checks.maxWordEvidence())) {
            sb.append("differing words' evidence <= ").append(checks.maxWordEvidence()).append(", ");
        }
        if (!Double.isInfinite(checks.maxLexiconShift())) {
            sb.append("differing words' lexicon valence shift <= ").append(checks.maxLexiconShift()).append(", ");
        }
        if (sb.length() == "Polarity(".length()) {
            sb.append("no checks, ");
        }
        sb.setLength(sb.length() - 2);
        return sb.append(")").toString();
    }
}
