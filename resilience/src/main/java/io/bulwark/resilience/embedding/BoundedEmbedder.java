package io.bulwark.resilience.embedding;

import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Runs at most a fixed number of embeddings at once and refuses the next at once ({@link EmbedderBusy}) rather than
 * letting it wait. An in-process embedder is CPU-bound: under overload, every request thread embedding at once
 * shares the cores and all of them slow down together; with a bound, the requests beyond it skip what they would
 * have embedded for (a semantic-cache lookup is optional work) and keep their latency.
 */
final class BoundedEmbedder implements Embedder {

    private final Embedder embedder;
    private final int permits;
    private final Semaphore running;

    BoundedEmbedder(Embedder embedder, int permits) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.permits = permits;
        this.running = new Semaphore(permits);
    }

    @Override
    public String name() {
        return embedder.name();
    }

    @Override
    public int dimension() {
        return embedder.dimension();
    }

    @Override
    public float[] embed(String text) {
        if (!running.tryAcquire()) {
            throw new EmbedderBusy(embedder.name(), permits);
        }
        try {
            return embedder.embed(text);
        } finally {
            running.release();
        }
    }

    @Override
    public String toString() {
        return "Bounded(" + embedder + ", " + permits + " at once)";
    }
}
