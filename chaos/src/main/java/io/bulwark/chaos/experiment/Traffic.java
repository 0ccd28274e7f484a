package io.bulwark.chaos.experiment;

import io.bulwark.chaos.LabelSource;
import io.bulwark.sentiment.SentimentLabel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The requests of a run, drawn with a seeded generator from a corpus of labelled sentences: mostly new
 * texts (a sentence tagged with the request number, so the exact cache cannot answer), and a share of
 * verbatim repeats of earlier texts (which it may). Remembers the true label of every text it made, as
 * the {@link #truth()} both injection points answer from.
 */
public final class Traffic {

    /** Share of requests that repeat an earlier text. */
    public static final double DEFAULT_REPEAT_SHARE = 0.1;

    /** A text and its true sentiment. */
    public record Item(String text, SentimentLabel truth) {
        public Item {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(truth, "truth");
        }
    }

    private final List<Item> corpus;
    private final String tag;
    private final double repeatShare;
    private final RandomGenerator random;
    private final List<Item> sent = new ArrayList<>();
    private final Map<String, SentimentLabel> labels = new ConcurrentHashMap<>();

    /** Draws from {@code corpus}; new texts are tagged {@code [<tag><request number>]}. */
    public Traffic(List<Item> corpus, double repeatShare, long seed, String tag) {
        this.tag = Objects.requireNonNull(tag, "tag");
        this.corpus = List.copyOf(corpus);
        if (this.corpus.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty");
        }
        if (!(repeatShare >= 0 && repeatShare < 1)) {
            throw new IllegalArgumentException("repeatShare must be within [0, 1): " + repeatShare);
        }
        this.repeatShare = repeatShare;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** Returns the request numbered {@code index}. */
    public synchronized Item next(int index) {
        Item item;
        if (!sent.isEmpty() && random.nextDouble() < repeatShare) {
            item = sent.get(random.nextInt(sent.size()));
        } else {
            Item base = corpus.get(random.nextInt(corpus.size()));
            item = new Item(base.text() + " [" + tag + index + "]", base.truth());
            sent.add(item);
            labels.put(item.text(), item.truth());
        }
        return item;
    }

    /** Returns the true labels of the texts made so far; other texts are judged by keywords. */
    public LabelSource truth() {
        return LabelSource.of(labels, LabelSource.keywords());
    }
}
