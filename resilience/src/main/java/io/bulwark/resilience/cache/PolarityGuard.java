package io.bulwark.resilience.cache;

import io.bulwark.resilience.sentiment.SentimentLabel;

import java.util.Objects;
import java.util.function.Function;

/**
 * The guard of a semantic cache of sentiment answers: a hit is served only if nothing suggests the new text
 * has a different sentiment from the cached one. Two checks, both must pass:
 * <ol>
 *   <li><b>cues</b> — the new text and the cached text have the same number of negators ({@code not},
 *       {@code never}, {@code n't}, ...) and of contrast words ({@code but}, {@code however}, ...): negation or
 *       contrast that only one of them has blocks the hit;</li>
 *   <li><b>label</b> — the local model's label for the new text equals the cached label (for a cached
 *       {@code neutral}, which the binary local model never gives, it must equal the local model's label for
 *       the cached text).</li>
 * </ol>
 * The guard only ever turns hits into misses, which cost a model call, never a wrong answer.
 *
 * @param <V> the cached answer
 */
public final class PolarityGuard<V> implements HitGuard<V> {

    private final Function<String, SentimentLabel> localModel;
    private final Function<? super V, SentimentLabel> labelOf;
    private final boolean checkCues;
    private final boolean checkLabel;

    private PolarityGuard(Function<String, SentimentLabel> localModel, Function<? super V, SentimentLabel> labelOf,
                          boolean checkCues, boolean checkLabel) {
        this.localModel = Objects.requireNonNull(localModel, "localModel");
        this.labelOf = Objects.requireNonNull(labelOf, "labelOf");
        this.checkCues = checkCues;
        this.checkLabel = checkLabel;
    }

    /**
     * Returns the full guard.
     *
     * @param localModel the local model's label for a text (cheap: it runs on every request anyway)
     * @param labelOf    the label of a cached answer
     */
    public static <V> PolarityGuard<V> of(Function<String, SentimentLabel> localModel,
                                          Function<? super V, SentimentLabel> labelOf) {
        return new PolarityGuard<>(localModel, labelOf, true, true);
    }

    /** Returns the guard with only the cue check, to measure what each check contributes. */
    public static <V> PolarityGuard<V> cuesOnly(Function<String, SentimentLabel> localModel,
                                                Function<? super V, SentimentLabel> labelOf) {
        return new PolarityGuard<>(localModel, labelOf, true, false);
    }

    /** Returns the guard with only the label check, to measure what each check contributes. */
    public static <V> PolarityGuard<V> labelOnly(Function<String, SentimentLabel> localModel,
                                                 Function<? super V, SentimentLabel> labelOf) {
        return new PolarityGuard<>(localModel, labelOf, false, true);
    }

    @Override
    public boolean allows(String query, SemanticCache.Hit<V> hit) {
        if (checkCues && !PolarityCues.of(query).equals(PolarityCues.of(hit.cachedQuery()))) {
            return false;
        }
        if (!checkLabel) {
            return true;
        }
        SentimentLabel cached = labelOf.apply(hit.value());
        SentimentLabel local = localModel.apply(query);
        if (cached == SentimentLabel.POSITIVE || cached == SentimentLabel.NEGATIVE) {
            return local == cached;
        }
        if (cached == SentimentLabel.NEUTRAL) {
            return local == localModel.apply(hit.cachedQuery());
        }
        return false; // an "uncertain" answer is never worth serving again
    }

    @Override
    public String toString() {
        return "Polarity(" + (checkCues ? "same negation/contrast cues" : "") + (checkCues && checkLabel ? " + " : "")
                + (checkLabel ? "local model agrees" : "") + ")";
    }
}
