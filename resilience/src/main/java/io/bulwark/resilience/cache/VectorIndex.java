package io.bulwark.resilience.cache;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Unit vectors in one contiguous {@code float[]} (slot {@code s} at {@code s * dimension}), each with a
 * payload, searched by dot product without boxing.
 *
 * <p>Up to {@code exactSearchLimit} live vectors every search scans them all (exact). Past it, the index
 * partitions the vectors once (an inverted file, IVF): {@code partitions} centroids sampled from the stored
 * vectors with a seeded random, every vector listed under its nearest centroid; a search then compares the
 * query with the centroids and scans only the lists of the {@code probes} nearest. Because the cache only
 * wants neighbours above a high similarity threshold — near duplicates, which almost always share their
 * nearest centroid — this loses very few hits (measured in {@code VectorIndexTest} and BENCHMARKS.md) while
 * scanning a small fraction of the vectors. Insertion is one pass over the centroids; removal is O(1)
 * (swap-remove from its list), so memory stays bounded however much the cache churns. The centroids stay
 * fixed once chosen.
 *
 * <p>Thread-safe: searches share a read lock, additions and removals take the write lock.
 */
final class VectorIndex {

    private final int dimension;
    private final int exactSearchLimit;
    private final int partitionCount;
    private final int probes;
    private final long seed;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private float[] vectors;
    private Object[] payloads;
    private int highWater;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int size;

    // The inverted file, once partitioned.
    private float[] centroids;
    private int[][] lists;
    private int[] listSizes;
    private int[] slotList;
    private int[] slotPosition;

    /**
     * @param partitionCount the number of centroids once partitioned; ignored while exact
     * @param probes         the number of nearest centroids whose lists a search scans
     */
    VectorIndex(int dimension, int exactSearchLimit, int partitionCount, int probes, long seed) {
        if (dimension < 1 || exactSearchLimit < 0 || partitionCount < 1 || probes < 1) {
            throw new IllegalArgumentException("dimension, partitionCount and probes must be positive and "
                    + "exactSearchLimit not negative");
        }
        this.dimension = dimension;
        this.exactSearchLimit = exactSearchLimit;
        this.partitionCount = partitionCount;
        this.probes = Math.min(probes, partitionCount);
        this.seed = seed;
        this.vectors = new float[16 * dimension];
        this.payloads = new Object[16];
    }

    /** The best matches of a search, most similar first. */
    record Matches(int count, int[] slots, float[] similarities, Object[] payloads) {
    }

    int dimension() {
        return dimension;
    }

    /** Stores a unit vector with its payload and returns its slot. */
    int add(float[] vector, Object payload) {
        checkDimension(vector);
        Objects.requireNonNull(payload, "payload");
        lock.writeLock().lock();
        try {
            int slot = freeCount > 0 ? freeSlots[--freeCount] : highWater++;
            if (slot >= payloads.length) {
                int capacity = payloads.length * 2;
                vectors = Arrays.copyOf(vectors, capacity * dimension);
                payloads = Arrays.copyOf(payloads, capacity);
                if (centroids != null) {
                    slotList = Arrays.copyOf(slotList, capacity);
                    slotPosition = Arrays.copyOf(slotPosition, capacity);
                }
            }
            System.arraycopy(vector, 0, vectors, slot * dimension, dimension);
            payloads[slot] = payload;
            size++;
            if (centroids != null) {
                list(slot, nearestCentroid(vectors, slot * dimension));
            } else if (size > exactSearchLimit && size >= partitionCount) {
                partition();
            }
            return slot;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the vector at {@code slot} if it still holds {@code payload}; returns whether it did. */
    boolean remove(int slot, Object payload) {
        lock.writeLock().lock();
        try {
            if (slot < 0 || slot >= highWater || payloads[slot] != payload) {
                return false;
            }
            payloads[slot] = null;
            size--;
            if (centroids != null) {
                unlist(slot);
            }
            if (freeCount == freeSlots.length) {
                freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
            }
            freeSlots[freeCount++] = slot;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Returns up to {@code k} stored vectors whose dot product with {@code query} is at least {@code minimum}. */
    Matches search(float[] query, float minimum, int k) {
        checkDimension(query);
        int[] slots = new int[k];
        float[] sims = new float[k];
        int count;
        Object[] found = new Object[k];
        lock.readLock().lock();
        try {
            if (centroids == null) {
                count = scanAll(query, minimum, slots, sims);
            } else {
                count = scanProbed(query, minimum, slots, sims);
            }
            for (int i = 0; i < count; i++) {
                found[i] = payloads[slots[i]];
            }
        } finally {
            lock.readLock().unlock();
        }
        return new Matches(count, slots, sims, found);
    }

    int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean partitioned() {
        lock.readLock().lock();
        try {
            return centroids != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the bytes of the arrays held: vectors, payload references, free slots, centroids and lists. */
    long bytesAllocated() {
        lock.readLock().lock();
        try {
            long bytes = 4L * vectors.length + 4L * payloads.length + 4L * freeSlots.length;
            if (centroids != null) {
                bytes += 4L * centroids.length + 8L * slotList.length;
                for (int[] l : lists) {
                    bytes += 16 + 4L * l.length;
                }
            }
            return bytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private int scanAll(float[] query, float minimum, int[] slots, float[] sims) {
        int count = 0;
        for (int s = 0; s < highWater; s++) {
            if (payloads[s] == null) {
                continue;
            }
            float sim = dot(vectors, s * dimension, query, 0, dimension);
            if (sim >= minimum) {
                count = offer(slots, sims, count, s, sim);
            }
        }
        return count;
    }

    private int scanProbed(float[] query, float minimum, int[] slots, float[] sims) {
        int[] nearest = new int[probes];
        float[] nearestSims = new float[probes];
        int found = 0;
        for (int c = 0; c < partitionCount; c++) {
            found = offer(nearest, nearestSims, found, c, dot(centroids, c * dimension, query, 0, dimension));
        }
        int count = 0;
        for (int p = 0; p < found; p++) {
            int[] list = lists[nearest[p]];
            for (int i = 0, n = listSizes[nearest[p]]; i < n; i++) {
                int s = list[i];
                float sim = dot(vectors, s * dimension, query, 0, dimension);
                if (sim >= minimum) {
                    count = offer(slots, sims, count, s, sim);
                }
            }
        }
        return count;
    }

    /** Keeps the best {@code ids.length} (id, score) pairs sorted by score, best first; returns the new count. */
    private static int offer(int[] ids, float[] scores, int count, int id, float score) {
        int k = ids.length;
        if (count == k && score <= scores[k - 1]) {
            return count;
        }
        int i = count == k ? k - 1 : count++;
        while (i > 0 && scores[i - 1] < score) {
            ids[i] = ids[i - 1];
            scores[i] = scores[i - 1];
            i--;
        }
        ids[i] = id;
        scores[i] = score;
        return count;
    }

    /** Chooses the centroids among the stored vectors (seeded) and lists every vector under its nearest. */
    private void partition() {
        int[] live = new int[size];
        int n = 0;
        for (int s = 0; s < highWater; s++) {
            if (payloads[s] != null) {
                live[n++] = s;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = live[i];
            live[i] = live[j];
            live[j] = swap;
        }
        centroids = new float[partitionCount * dimension];
        for (int c = 0; c < partitionCount; c++) {
            System.arraycopy(vectors, live[c % n] * dimension, centroids, c * dimension, dimension);
        }
        lists = new int[partitionCount][];
        listSizes = new int[partitionCount];
        for (int c = 0; c < partitionCount; c++) {
            lists[c] = new int[4];
        }
        slotList = new int[payloads.length];
        slotPosition = new int[payloads.length];
        for (int i = 0; i < n; i++) {
            int s = live[i];
            list(s, nearestCentroid(vectors, s * dimension));
        }
    }

    private int nearestCentroid(float[] data, int offset) {
        int best = 0;
        float bestSim = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < partitionCount; c++) {
            float sim = dot(centroids, c * dimension, data, offset, dimension);
            if (sim > bestSim) {
                bestSim = sim;
                best = c;
            }
        }
        return best;
    }

    private void list(int slot, int centroid) {
        int[] l = lists[centroid];
        int n = listSizes[centroid];
        if (n == l.length) {
            l = lists[centroid] = Arrays.copyOf(l, n * 2);
        }
        l[n] = slot;
        listSizes[centroid] = n + 1;
        slotList[slot] = centroid;
        slotPosition[slot] = n;
    }

    private void unlist(int slot) {
        int c = slotList[slot];
        int pos = slotPosition[slot];
        int last = --listSizes[c];
        int moved = lists[c][last];
        lists[c][pos] = moved;
        slotPosition[moved] = pos;
    }

    private void checkDimension(float[] vector) {
        if (Objects.requireNonNull(vector, "vector").length != dimension) {
            throw new IllegalArgumentException("expected " + dimension + " dimensions, got " + vector.length);
        }
    }

    /**
     * The dot product of {@code n} floats of {@code a} from {@code ao} and of {@code b} from {@code bo}. Four
     * independent sums let the CPU overlap the additions (the JIT does not vectorise a float reduction).
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
