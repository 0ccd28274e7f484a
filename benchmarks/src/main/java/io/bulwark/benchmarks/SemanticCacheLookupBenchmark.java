package io.bulwark.benchmarks;

import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How long does {@code findSimilar} take, excluding the embedding, at 1k, 10k and 100k entries? Default
 * settings (exact scan up to 2,048 entries, then partitions), threshold 0.90, no guard; the queries are
 * precomputed vectors (see {@link SemanticCacheData}), half near duplicates of stored entries. Sample mode
 * gives p50/p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SemanticCacheLookupBenchmark {

    @Param({"1000", "10000", "100000"})
    public int size;

    private SemanticCache<Integer> cache;
    private SemanticCache.Probe[] probes;
    private int next;

    @Setup
    public void setUp() {
        SemanticCacheData data = SemanticCacheData.generate(Embedders.miniLm(), size, 4096, 42);
        Embedder none = new Embedder() {
            @Override
            public String name() {
                return "precomputed";
            }

            @Override
            public int dimension() {
                return Embedders.MINILM_DIMENSION;
            }

            @Override
            public float[] embed(String text) {
                throw new UnsupportedOperationException("the benchmark adds and looks up precomputed vectors");
            }
        };
        cache = SemanticCache.<Integer>builder().embedder(none).maximumSize(size).maintenance(Runnable::run).build();
        for (int i = 0; i < size; i++) {
            cache.add(new SemanticCache.Probe("s" + i, data.stored[i]), i);
        }
        probes = new SemanticCache.Probe[data.queries.length];
        int hits = 0;
        for (int q = 0; q < probes.length; q++) {
            probes[q] = new SemanticCache.Probe("q" + q, data.queries[q]);
            hits += cache.findSimilar(probes[q]).isPresent() ? 1 : 0;
        }
        System.out.printf("%n%d entries, %d of %d queries hit%n", cache.size(), hits, probes.length);
    }

    @Benchmark
    public Optional<SemanticCache.Hit<Integer>> findSimilar() {
        SemanticCache.Probe p = probes[next];
        next = (next + 1) & (probes.length - 1);
        return cache.findSimilar(p);
    }
}
