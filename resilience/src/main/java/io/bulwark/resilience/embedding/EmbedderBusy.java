package io.bulwark.resilience.embedding;

/**
 * Thrown by a {@link Embedders#bounded bounded} embedder when as many embeddings as it allows are already running:
 * the caller goes on without an embedding (for a cache, a miss) instead of queueing for a core.
 */
public final class EmbedderBusy extends RuntimeException {

    EmbedderBusy(String name, int permits) {
        super(name + " is already embedding " + permits + " texts", null, false, false);
    }
}
