package io.bulwark.benchmarks;

import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Do lookups miss while the index partitions again? A cache of {@code size} entries (default 100,000) is filled one
 * entry at a time with partitioning in the background, as in production (an addition skipped while it partitions is
 * tried again after 1 ms); meanwhile one thread looks up stored vectors (each must be found: similarity 1) without
 * pause. Prints, per background partition, how long it ran and
 * how many lookups ran and missed meanwhile, and the longest run of consecutive misses.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bulwark.benchmarks.SemanticCacheRepartition [size]
 * </pre>
 */
public final class SemanticCacheRepartition {

    private SemanticCacheRepartition() {
    }

    /** A partition the maintenance executor ran: from when to when (nanoTime). */
    private record Window(long start, long end) {
    }

    public static void main(String[] args) throws InterruptedException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Embedder miniLm = Embedders.miniLm();
        SemanticCacheData data = SemanticCacheData.generate(miniLm, size, 16, 42);
        List<Window> windows = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        Executor background = task -> Thread.ofPlatform().name("partition").start(() -> {
            running.incrementAndGet();
            long start = System.nanoTime();
            try {
                task.run();
            } finally {
                windows.add(new Window(start, System.nanoTime()));
                running.decrementAndGet();
            }
        });
        SemanticCache<Integer> cache = SemanticCache.<Integer>builder().embedder(miniLm).maximumSize(size)
                .maintenance(background).build();
        AtomicInteger added = new AtomicInteger();
        // the entries stored (an addition made while the index partitions may be skipped: a lookup of it would miss
        // for that reason, not because partitioning kept the lookup out)
        int[] stored = new int[size];
        AtomicInteger storedCount = new AtomicInteger();
        List<long[]> lookups = new ArrayList<>(); // {time, hit 0/1}
        Thread reader = Thread.ofPlatform().name("lookups").start(() -> {
            SplittableRandom r = new SplittableRandom(7);
            while (added.get() < size || running.get() > 0) {
                int n = storedCount.get();
                if (n == 0) {
                    Thread.onSpinWait();
                    continue;
                }
                int i = stored[r.nextInt(n)];
                boolean hit = cache.findSimilar(new SemanticCache.Probe("q" + i, data.stored[i])).isPresent();
                synchronized (lookups) {
                    lookups.add(new long[] {System.nanoTime(), hit ? 1 : 0});
                }
            }
        });
        long fillStart = System.nanoTime();
        int skipped = 0;
        for (int i = 0; i < size; i++) {
            // an addition skipped while the index partitions is tried again a millisecond later, so that the cache
            // does reach its size (a request's answer would just not be cached)
            while (true) {
                long before = cache.size();
                cache.add(new SemanticCache.Probe("s" + i, data.stored[i]), i);
                if (cache.size() > before) {
                    break;
                }
                skipped++;
                Thread.sleep(1);
            }
            stored[storedCount.get()] = i;
            storedCount.incrementAndGet();
            added.incrementAndGet();
        }
        long fillEnd = System.nanoTime();
        reader.join();
        System.out.printf("added %,d entries in %.1f s (%,d additions skipped while partitioning, tried again); %,d lookups of stored "
                        + "vectors meanwhile, %,d missed%n", size, (fillEnd - fillStart) / 1e9, skipped,
                lookups.size(), lookups.stream().filter(l -> l[1] == 0).count());
        for (Window w : windows) {
            long during = lookups.stream().filter(l -> l[0] >= w.start && l[0] <= w.end).count();
            long missed = lookups.stream().filter(l -> l[0] >= w.start && l[0] <= w.end && l[1] == 0).count();
            System.out.printf("partition of %6.0f ms: %,7d lookups during it, %,7d missed%n",
                    (w.end - w.start) / 1e6, during, missed);
        }
        long longest = 0;
        long since = -1;
        for (long[] l : lookups) {
            if (l[1] == 0) {
                since = since < 0 ? l[0] : since;
                longest = Math.max(longest, l[0] - since);
            } else {
                since = -1;
            }
        }
        System.out.printf("longest run of consecutive misses: %.0f ms%n", longest / 1e6);
    }
}
