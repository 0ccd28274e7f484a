package io.bulwark.resilience.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.embedding.Embedder;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link SemanticCache}: Caffeine owns the entries' lifecycle (size-bounded eviction and expiry after
 * write, on the injected ticker) and the {@link VectorIndex} holds their vectors. An entry leaves the index
 * when Caffeine removes it; an entry Caffeine has expired but not yet cleaned up is skipped at lookup.
 */
final class DefaultSemanticCache<V> implements SemanticCache<V> {

    /** One cached answer; identity matters (the index removes a slot only for the entry that holds it). */
    private static final class Entry<V> {
        final long id;
        final String query;
        final V value;
        volatile int slot = -1;

        Entry(long id, String query, V value) {
            this.id = id;
            this.query = query;
            this.value = Objects.requireNonNull(value, "value");
        }
    }

    /** Partitioning the index, by default: a virtual thread of its own each time. */
    private static final Executor BACKGROUND = task -> Thread.ofVirtual().name("semantic-index-partition").start(task);

    private final Embedder embedder;
    private final float threshold;
    private final int candidates;
    private final HitGuard<V> guard;
    private final VectorIndex index;
    private final Cache<Long, Entry<V>> entries;
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final String description;

    DefaultSemanticCache(Builder<V> b) {
        this.embedder = b.embedder;
        this.threshold = (float) b.threshold();
        this.candidates = b.candidates == null ? DEFAULT_CANDIDATES : b.candidates;
        this.guard = b.guard == null ? HitGuard.none() : b.guard;
        int exactLimit = b.exactSearchLimit == null ? DEFAULT_EXACT_SEARCH_LIMIT : b.exactSearchLimit;
        this.index = new VectorIndex(embedder.dimension(), exactLimit, b.partitions(), b.probes(),
                b.seed == null ? DEFAULT_SEED : b.seed, b.maintenance == null ? BACKGROUND : b.maintenance);
        Duration ttl = b.ttl == null ? DEFAULT_TTL : b.ttl;
        Ticker ticker = b.ticker == null ? Ticker.system() : b.ticker;
        this.entries = Caffeine.newBuilder()
                .maximumSize(b.maximumSize())
                .expireAfterWrite(ttl)
                .ticker(ticker::read)
                .executor(Runnable::run)
                .removalListener((Long id, Entry<V> e, RemovalCause cause) -> {
                    if (e != null) {
                        index.remove(e.slot, e);
                    }
                })
                .build();
        this.description = "SemanticCache(" + embedder.name() + ", cosine >= " + b.threshold() + ", top "
                + candidates + " candidates, max " + b.maximumSize() + ", ttl " + ttl + ", exact scan up to "
                + exactLimit + " entries, then " + b.partitions() + " partitions / " + b.probes()
                + " probes, guard " + guard + ")";
    }

    @Override
    public Probe probe(String text) {
        float[] vector = embedder.embed(text);
        if (vector.length != index.dimension()) {
            throw new IllegalStateException(embedder.name() + " gave " + vector.length + " dimensions, not "
                    + index.dimension());
        }
        return new Probe(text, vector);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Hit<V>> findSimilar(Probe probe) {
        VectorIndex.Matches m = index.search(probe.vector(), threshold, candidates);
        boolean rejected = false;
        for (int i = 0; i < m.count(); i++) {
            Entry<V> e = (Entry<V>) m.payloads()[i];
            // Reading through Caffeine skips expired entries and records the access for eviction.
            if (e == null || entries.getIfPresent(e.id) != e) {
                continue;
            }
            Hit<V> hit = new Hit<>(e.value, Math.min(1.0, m.similarities()[i]), e.query);
            if (guard.allows(probe.text(), hit)) {
                hits.increment();
                return Optional.of(hit);
            }
            rejected = true;
        }
        if (rejected) {
            rejections.increment();
        }
        misses.increment();
        return Optional.empty();
    }

    @Override
    public void add(Probe probe, V value) {
        if (probe.vector().length != index.dimension()) {
            throw new IllegalArgumentException("expected " + index.dimension() + " dimensions, got "
                    + probe.vector().length);
        }
        Entry<V> e = new Entry<>(ids.incrementAndGet(), probe.text(), value);
        e.slot = index.add(probe.vector(), e);
        if (e.slot < 0) {
            return; // the index is partitioning: this answer is not cached, rather than the request waiting
        }
        entries.put(e.id, e);
    }

    @Override
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public Stats stats() {
        return new Stats(hits.sum(), misses.sum(), rejections.sum());
    }

    @Override
    public String describe() {
        return description;
    }

    /** Returns the index, for tests and the footprint measurement. */
    VectorIndex index() {
        return index;
    }
}
