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

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How long does a lookup take including the in-process MiniLM embedding of the query text, at 1k, 10k and
 * 100k entries? Query texts are real sentences of the bundled data, cycled; the entries are as in
 * {@link SemanticCacheLookupBenchmark}. Sample mode gives p50/p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SemanticCacheEmbedAndLookupBenchmark {

    @Param({"1000", "10000", "100000"})
    public int size;

    /** {@code off}, or the words embedded of a longer query text: {@code HEAD+TAIL} ({@code Embedders.clipped}). */
    @Param({"off"})
    public String clip;

    /**
     * ONNX Runtime's threads for one embedding: {@code default} (one per core, sleeping between parallel steps: what
     * the app runs), {@code spin} (one per core, spinning: ONNX Runtime's own default), or a number (sleeping).
     */
    @Param({"default"})
    public String threads;

    private SemanticCache<Integer> cache;
    private List<String> texts;
    private int next;

    @Setup
    public void setUp() {
        Embedder miniLm = switch (threads) {
            case "default" -> Embedders.miniLm();
            case "spin" -> Embedders.miniLm(0, true);
            default -> Embedders.miniLm(Integer.parseInt(threads), false);
        };
        SemanticCacheData data = SemanticCacheData.generate(miniLm, size, 4096, 42);
        cache = SemanticCache.<Integer>builder().embedder(Clip.apply(clip, miniLm)).maximumSize(size).maintenance(Runnable::run).build();
        for (int i = 0; i < size; i++) {
            cache.add(new SemanticCache.Probe("s" + i, data.stored[i]), i);
        }
        texts = data.queryTexts;
    }

    @Benchmark
    public Optional<SemanticCache.Hit<Integer>> embedAndFindSimilar() {
        String text = texts.get(next);
        next = (next + 1) % texts.size();
        return cache.findSimilar(text);
    }
}
