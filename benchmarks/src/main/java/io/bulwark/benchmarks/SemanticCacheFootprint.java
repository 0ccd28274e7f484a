package io.bulwark.benchmarks;

import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;

import java.util.Locale;

/**
 * How much heap does a semantic-cache entry take? Fills a cache of each size with precomputed MiniLM-shaped
 * vectors and a small value, and prints the retained heap after a full GC divided by the entry count (the
 * vector alone is 384 × 4 = 1,536 bytes). Run with a fixed heap so the GC does not resize:
 * <pre>
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar io.bulwark.benchmarks.SemanticCacheFootprint
 * </pre>
 */
public final class SemanticCacheFootprint {

    private SemanticCacheFootprint() {
    }

    public static void main(String[] args) {
        Embedder miniLm = Embedders.miniLm();
        SemanticCacheData data = SemanticCacheData.generate(miniLm, 100_000, 16, 42);
        for (int size : new int[]{1_000, 10_000, 100_000}) {
            long before = used();
            SemanticCache<Integer> cache = SemanticCache.<Integer>builder().embedder(miniLm).maximumSize(size)
                    .maintenance(Runnable::run).build();
            for (int i = 0; i < size; i++) {
                // Entries keep their own copy of the query text; "s" + i is short, real texts add their length.
                cache.add(new SemanticCache.Probe("s" + i, data.stored[i].clone()), i);
            }
            long after = used();
            System.out.printf(Locale.ROOT, "%,7d entries: %,d bytes per entry (%s)%n", cache.size(),
                    (after - before) / size, cache.describe());
            if (cache.size() < 0) {
                System.out.println(cache); // keeps the cache reachable until measured
            }
        }
    }

    private static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
