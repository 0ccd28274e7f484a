package io.bulwark.resilience.cache;

import io.bulwark.resilience.embedding.Embedder;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An embedder for tests: texts given a vector with {@link #put} embed to it; any other text to a random unit
 * vector seeded by its hash (nearly orthogonal to everything else in 64 dimensions). Counts its calls.
 */
final class FakeEmbedder implements Embedder {

    static final int DIMENSION = 64;
    private final Map<String, float[]> vectors = new HashMap<>();
    int calls;

    /** Makes {@code text} embed to {@code base} turned towards a random direction so that cosine = {@code similarity}. */
    FakeEmbedder put(String text, String base, double similarity) {
        float[] b = embed(base);
        float[] noise = random(text.hashCode() * 31L + 7);
        // remove the part of noise along b, then mix: cos(result, b) = similarity
        double along = 0;
        for (int i = 0; i < DIMENSION; i++) {
            along += noise[i] * b[i];
        }
        float[] v = new float[DIMENSION];
        double n2 = 0;
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) (noise[i] - along * b[i]);
            n2 += v[i] * v[i];
        }
        double s = Math.sqrt(1 - similarity * similarity) / Math.sqrt(n2);
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) (similarity * b[i] + s * v[i]);
        }
        vectors.put(text, Embedder.normalise(v));
        return this;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public synchronized float[] embed(String text) {
        calls++;
        float[] v = vectors.get(text);
        return v != null ? v.clone() : random(text.hashCode());
    }

    static float[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Embedder.normalise(v);
    }
}
