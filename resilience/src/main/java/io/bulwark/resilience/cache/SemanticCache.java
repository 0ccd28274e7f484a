package io.bulwark.resilience.cache;

import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.embedding.Embedder;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A bounded, expiring cache of answers found by meaning: a query is embedded, and the cached answer of the
 * most similar earlier query is returned when the cosine similarity reaches the threshold and the
 * {@link HitGuard} accepts it. Thread-safe.
 *
 * <p>Build one with {@link #builder()}. The embedding of a request can be computed once with
 * {@link #probe(String)} and used both to look up and, on a miss, to add the answer.
 *
 * @param <V> the cached answer
 */
public interface SemanticCache<V> {

    /** The default cosine-similarity threshold, chosen by measurement (see BENCHMARKS.md, "Semantic cache"). */
    double DEFAULT_THRESHOLD = 0.90;
    long DEFAULT_MAXIMUM_SIZE = 10_000;
    Duration DEFAULT_TTL = Duration.ofHours(1);
    /** How many of the most similar entries above the threshold are offered to the guard, best first. */
    int DEFAULT_CANDIDATES = 4;
    /** Up to this many entries every lookup is an exact scan; past it the index partitions (BENCHMARKS.md). */
    int DEFAULT_EXACT_SEARCH_LIMIT = 2_048;
    /** The number of partitions scanned per lookup once partitioned. */
    int DEFAULT_PROBES = 8;
    /** The seed of the partitioning's sample and k-means training of centroids. */
    long DEFAULT_SEED = 42;

    /**
     * A hit: the cached answer, the similarity of its query to the new one (within 0..1), and the cached query.
     */
    record Hit<V>(V value, double similarity, String cachedQuery) {
        public Hit {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(cachedQuery, "cachedQuery");
        }
    }

    /** A text with its unit-length embedding (not copied: do not change it). */
    record Probe(String text, float[] vector) {
        public Probe {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(vector, "vector");
        }
    }

    /** Counts since the cache was built. */
    record Stats(long hits, long misses, long guardRejections) {
    }

    /** Embeds {@code text} for {@link #findSimilar(Probe)} and {@link #add(Probe, Object)}. */
    Probe probe(String text);

    /** Returns the best accepted hit for {@code query}, if any. */
    default Optional<Hit<V>> findSimilar(String query) {
        return findSimilar(probe(query));
    }

    /**
     * Returns the most similar cached entry at or above the threshold that the guard accepts; candidates
     * are tried best first, at most {@link Builder#candidates} of them.
     */
    Optional<Hit<V>> findSimilar(Probe probe);

    /** Caches {@code value} for {@code query}. */
    default void add(String query, V value) {
        add(probe(query), value);
    }

    /** Caches {@code value} for the probe's text. */
    void add(Probe probe, V value);

    /** Returns the approximate number of entries. */
    long size();

    /** Returns the hit, miss and guard counts. */
    Stats stats();

    /** Returns a one-line description of the settings, e.g. for the chain's start-up print. */
    String describe();

    /** Returns a builder with every setting at its default; an embedder is required. */
    static <V> Builder<V> builder() {
        return new Builder<>();
    }

    /**
     * Builds a {@link SemanticCache}. Each setting is checked when given and may be given only once.
     */
    final class Builder<V> {
        Embedder embedder;
        Double threshold;
        Long maximumSize;
        Duration ttl;
        Ticker ticker;
        HitGuard<V> guard;
        Integer candidates;
        Integer exactSearchLimit;
        Integer probes;
        Integer partitions;
        Long seed;
        Executor maintenance;

        Builder() {
        }

        public Builder<V> embedder(Embedder embedder) {
            once(this.embedder, "embedder");
            this.embedder = Objects.requireNonNull(embedder, "embedder");
            return this;
        }

        /** The least cosine similarity of a hit, within (0, 1]. */
        public Builder<V> threshold(double threshold) {
            once(this.threshold, "threshold");
            if (!(threshold > 0.0 && threshold <= 1.0)) {
                throw new IllegalArgumentException("threshold must be within (0, 1]: " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        public Builder<V> maximumSize(long maximumSize) {
            once(this.maximumSize, "maximumSize");
            if (maximumSize < 1 || maximumSize > Integer.MAX_VALUE / 1024) {
                throw new IllegalArgumentException("maximumSize must be within 1.." + Integer.MAX_VALUE / 1024
                        + ": " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** How long an entry lives after it was added. */
        public Builder<V> ttl(Duration ttl) {
            once(this.ttl, "ttl");
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        public Builder<V> ticker(Ticker ticker) {
            once(this.ticker, "ticker");
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Decides whether a hit may be served for a query; by default every hit may. */
        public Builder<V> guard(HitGuard<V> guard) {
            once(this.guard, "guard");
            this.guard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        public Builder<V> candidates(int candidates) {
            once(this.candidates, "candidates");
            this.candidates = within("candidates", candidates, 1, 64);
            return this;
        }

        /** Up to this many entries lookups scan every entry; 0 partitions as soon as there are enough entries. */
        public Builder<V> exactSearchLimit(int exactSearchLimit) {
            once(this.exactSearchLimit, "exactSearchLimit");
            this.exactSearchLimit = within("exactSearchLimit", exactSearchLimit, 0, Integer.MAX_VALUE);
            return this;
        }

        /** The partitions scanned per lookup once partitioned. */
        public Builder<V> probes(int probes) {
            once(this.probes, "probes");
            this.probes = within("probes", probes, 1, 1024);
            return this;
        }

        /**
         * The most partitions; by default {@code sqrt(maximumSize * probes)}, within 16..4096. The index uses
         * {@code sqrt(size * probes)} up to this and partitions again each time its size doubles.
         */
        public Builder<V> partitions(int partitions) {
            once(this.partitions, "partitions");
            this.partitions = within("partitions", partitions, 1, 65_536);
            return this;
        }

        public Builder<V> seed(long seed) {
            once(this.seed, "seed");
            this.seed = seed;
            return this;
        }

        /**
         * Where the index partitions again as it grows. By default a background virtual thread, so that no
         * request waits for it (lookups meanwhile miss, additions are skipped); {@code Runnable::run} partitions
         * within the addition that made it due, for simulations that must give the same numbers every run.
         */
        public Builder<V> maintenance(Executor maintenance) {
            once(this.maintenance, "maintenance");
            this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
            return this;
        }

        public SemanticCache<V> build() {
            if (embedder == null) {
                throw new IllegalStateException("an embedder is required");
            }
            return new DefaultSemanticCache<>(this);
        }

        double threshold() {
            return threshold == null ? DEFAULT_THRESHOLD : threshold;
        }

        long maximumSize() {
            return maximumSize == null ? DEFAULT_MAXIMUM_SIZE : maximumSize;
        }

        int probes() {
            return probes == null ? DEFAULT_PROBES : probes;
        }

        int partitions() {
            if (partitions != null) {
                return partitions;
            }
            long p = Math.round(Math.sqrt((double) maximumSize() * probes()));
            return (int) Math.max(16, Math.min(4096, p));
        }

        private static int within(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ": " + value);
            }
            return value;
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }
    }
}
