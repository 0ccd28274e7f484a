package io.bulwark.benchmarks;

import io.bulwark.sentiment.local.LabelledText;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.embedding.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Embedding-like vectors for the semantic-cache benchmarks, reproducible from a seed. Embedding 100k sentences
 * would take minutes, so the 2,748 bundled sentences (yelp, imdb, amazon) are embedded by the real model
 * once, and further vectors are mixtures of two of them plus a little noise, normalised: they stay in the
 * region of the space real sentences occupy. Queries are near duplicates of stored vectors (so lookups find
 * hits) and fresh sentences.
 */
final class SemanticCacheData {

    final float[][] stored;
    final float[][] queries;
    final List<String> queryTexts;

    private SemanticCacheData(float[][] stored, float[][] queries, List<String> queryTexts) {
        this.stored = stored;
        this.queries = queries;
        this.queryTexts = queryTexts;
    }

    static List<String> sentences() {
        List<String> all = new ArrayList<>();
        for (String f : List.of("yelp.json", "imdb.json", "amazon.json")) {
            for (LabelledText t : SentimentCorpus.load(f)) {
                all.add(t.text());
            }
        }
        return all;
    }

    static SemanticCacheData generate(Embedder embedder, int size, int queryCount, long seed) {
        List<String> texts = sentences();
        float[][] real = new float[texts.size()][];
        for (int i = 0; i < real.length; i++) {
            real[i] = embedder.embed(texts.get(i));
        }
        SplittableRandom r = new SplittableRandom(seed);
        int d = embedder.dimension();
        float[][] stored = new float[size][];
        for (int i = 0; i < size; i++) {
            if (i < real.length) {
                stored[i] = real[i];
                continue;
            }
            float[] a = real[r.nextInt(real.length)];
            float[] b = real[r.nextInt(real.length)];
            double w = 0.2 + 0.3 * r.nextDouble();
            float[] v = new float[d];
            for (int j = 0; j < d; j++) {
                v[j] = (float) ((1 - w) * a[j] + w * b[j] + 0.02 * r.nextGaussian());
            }
            stored[i] = Embedder.normalise(v);
        }
        float[][] queries = new float[queryCount][];
        List<String> queryTexts = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            queryTexts.add(texts.get(r.nextInt(texts.size())));
            float[] base = stored[r.nextInt(size)];
            float[] v = new float[d];
            // half near duplicates of a stored vector (cosine about 0.95), half unrelated mixtures
            double noise = q % 2 == 0 ? 0.015 : 0.05;
            float[] other = real[r.nextInt(real.length)];
            for (int j = 0; j < d; j++) {
                v[j] = (float) (q % 2 == 0 ? base[j] + noise * r.nextGaussian() : other[j] + noise * r.nextGaussian());
            }
            queries[q] = Embedder.normalise(v);
        }
        return new SemanticCacheData(stored, queries, queryTexts);
    }
}
