package io.bulwark.resilience.embedding;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The embedders that come with Bulwark: the in-process quantized all-MiniLM-L6-v2 (the default: no network,
 * no key) and a lazily loading wrapper. Remote embedders (an OpenAI-compatible endpoint) live with their
 * provider's client, which maps its HTTP errors.
 */
public final class Embedders {

    /** The name of the in-process model. */
    public static final String MINILM = "all-minilm-l6-v2-q";
    /** The dimension of its embeddings. */
    public static final int MINILM_DIMENSION = 384;

    private Embedders() {
    }

    /**
     * Loads the in-process quantized all-MiniLM-L6-v2 now (about half a second) and returns it: ONNX Runtime's
     * default number of threads per embedding (one per core), which sleep between parallel steps instead of spinning.
     */
    public static Embedder miniLm() {
        return miniLm(0, false);
    }

    /**
     * Loads the in-process model with {@code intraOpThreads} ONNX Runtime threads per embedding (0: one per core),
     * which spin between parallel steps when {@code spinning} (ONNX Runtime's own default; it costs CPU that other
     * threads of the process need when cores are few).
     */
    public static Embedder miniLm(int intraOpThreads, boolean spinning) {
        return new MiniLmEmbedder(intraOpThreads, spinning);
    }

    /**
     * Returns an embedder that loads {@code loader}'s embedder on first use (once, whichever thread comes
     * first); until then it costs nothing.
     */
    public static Embedder lazy(String name, int dimension, Supplier<Embedder> loader) {
        return new LazyEmbedder(name, dimension, loader);
    }

    /** Returns the in-process model, loaded on first use. */
    public static Embedder lazyMiniLm() {
        return lazy(MINILM, MINILM_DIMENSION, Embedders::miniLm);
    }

    /**
     * Returns an embedder that embeds only the first {@code head} and last {@code tail} words of a longer text
     * (a text of at most {@code head + tail} words unchanged): it bounds the cost of long texts, whose embedding is
     * otherwise the slowest part of a semantic-cache lookup.
     */
    public static Embedder clipped(Embedder embedder, int head, int tail) {
        return new ClippedEmbedder(embedder, head, tail);
    }

    /**
     * Returns an embedder that runs at most {@code permits} embeddings at once and throws {@link EmbedderBusy} at
     * once for any beyond them, instead of letting them wait.
     */
    public static Embedder bounded(Embedder embedder, int permits) {
        return new BoundedEmbedder(embedder, permits);
    }

    static void requireDimension(Embedder embedder, int expected) {
        Objects.requireNonNull(embedder, "embedder");
        if (embedder.dimension() != expected) {
            throw new IllegalStateException(embedder.name() + " gives " + embedder.dimension()
                    + " dimensions, not the " + expected + " announced");
        }
    }
}
