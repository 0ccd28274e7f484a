package io.bulwark.benchmarks;

import io.bulwark.sentiment.local.Evaluation;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.sentiment.SentimentLabel;

/**
 * How good is the local sentiment model on the held-out amazon sentences, and how long does it take to
 * train? Prints one table; the same build gives the same accuracy (training is seeded).
 */
public final class LocalModelEvaluation {

    private LocalModelEvaluation() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        LocalSentimentModel model = LocalSentimentModel.trainDefault();
        long trainMs = (System.nanoTime() - start) / 1_000_000;
        Evaluation e = model.evaluate(SentimentCorpus.heldOut());
        System.out.printf("| model | trained on | held-out set | accuracy | precision +/- | recall +/- | training (cold JVM) |%n");
        System.out.printf("|---|---|---|---|---|---|---|%n");
        System.out.printf("| %s | yelp + imdb (%d sentences) | amazon (%d) | %.3f | %.3f / %.3f | %.3f / %.3f | %d ms |%n",
                model.model(), model.trainingSize(), e.total(), e.accuracy(),
                e.precision(SentimentLabel.POSITIVE), e.precision(SentimentLabel.NEGATIVE),
                e.recall(SentimentLabel.POSITIVE), e.recall(SentimentLabel.NEGATIVE), trainMs);
    }
}
