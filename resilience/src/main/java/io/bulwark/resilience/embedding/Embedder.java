package io.bulwark.resilience.embedding;

/**
 * A sentence embedder: turns a text into a unit-length vector of {@link #dimension()} floats, so that the
 * dot product of two embeddings is their cosine similarity. Implementations are thread-safe.
 *
 * <p>A remote embedder reports its failures as a {@link io.bulwark.resilience.failure.BoundaryFailure};
 * callers that can do without an embedding (a cache) treat any failure as "no embedding".
 */
public interface Embedder {

    /** Returns the name reported in descriptions and logs, e.g. {@code all-minilm-l6-v2-q}. */
    String name();

    /** Returns the number of floats in every embedding. */
    int dimension();

    /** Returns the unit-length embedding of {@code text}; a fresh array the caller may keep. */
    float[] embed(String text);

    /**
     * Scales {@code vector} in place to unit length and returns it.
     *
     * @throws IllegalArgumentException if the vector is all zeros or not finite
     */
    static float[] normalise(float[] vector) {
        double sum = 0.0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        if (!(sum > 0.0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("cannot normalise a zero or non-finite vector");
        }
        float scale = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }
}
