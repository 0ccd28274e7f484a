package io.bulwark.resilience.cache;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Unit vectors with their payloads in lists of contiguous {@code float[]}s, searched by dot product without
 * boxing.
 *
 * <p>Up to {@code exactSearchLimit} live vectors they sit in one list and every search scans it (exact). Past
 * it, the index partitions them (an inverted file, IVF): centroids trained by a few seeded k-means iterations
 * on a sample, every vector moved to the list of its nearest centroid; a search then compares the query with
 * the centroids and scans only the lists of the {@code probes} nearest. Because the cache only wants
 * neighbours above a high similarity threshold — near duplicates, which almost always share their nearest
 * centroid — this loses very few hits (measured in {@code VectorIndexTest} and BENCHMARKS.md). The number of
 * centroids follows the size, {@code sqrt(size × probes)} up to {@code partitionCount}, and the index
 * partitions again each time its size has doubled, so centroids chosen for a small early sample do not
 * stay forever. Insertion is one pass over the centroids; removal is O(1) (the list's last vector moves into
 * the hole), so memory stays bounded however much the cache churns.
 *
 * <p>Every dot product is computed the same way, eight running sums over the dimensions in order
 * ({@link #dot}); a scan stops one early, at a few cut points, when the sum so far plus the Cauchy–Schwarz
 * bound of the rest ({@code |a_rest| · |q_rest|}, suffix norms kept per vector) cannot reach what the search
 * needs. That is a bound, not an approximation: the results are those of the full scan.
 *
 * <p>Thread-safe: searches share a read lock, additions and removals take the write lock. Partitioning
 * (again) runs on the {@code maintenance} executor after the addition that made it due, holding the write
 * lock: 0.4 s at 10k entries, 2 s at 100k. A cache must never make a request wait that long, so a search
 * that cannot have the lock within {@link #WAIT_MS} finds nothing (a miss, which is always safe) and an
 * addition that cannot is skipped (returns -1). With an inline executor ({@code Runnable::run}) partitioning
 * happens within the addition, in order, as reproducible simulations need.
 */
final class VectorIndex {

    /** Where the rest of a dot product is bounded, as eighths of the dimension (rounded down to 8). */
    private static final int[] CUT_EIGHTHS = {2, 4, 6};
    /** Float rounding allowance of the bound, far above the error of a 384-term float sum of unit vectors. */
    private static final float BOUND_MARGIN = 1e-4f;
    /** k-means is trained on at most this many sampled vectors per centroid. */
    private static final int SAMPLE_PER_PARTITION = 16;
    private static final int KMEANS_ITERATIONS = 4;
    /** The index partitions again once its size has grown by this factor since it last did. */
    private static final int GROWTH = 2;
    /** Partitioning again compares a vector with this many new centroids near its old one (see partition). */
    private static final int NEIGHBOURHOOD = 64;

    private final int dimension;
    private final int exactSearchLimit;
    private final int partitionCount;
    private final int probes;
    private final long seed;
    private final int[] cuts;
    private final int head;
    private final int tail;
    /** How long a search or an addition waits for the lock before giving up (brief writes take microseconds). */
    static final long WAIT_MS = 10;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Executor maintenance;
    private final AtomicBoolean partitionScheduled = new AtomicBoolean();

    // Per slot: the payload and where its vector is.
    private Object[] payloads = new Object[16];
    private int[] slotList = new int[16];
    private int[] slotPosition = new int[16];
    private int highWater;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int size;

    // Per list: the vectors' first cut of dimensions (position p at p * head) apart from the rest (at
    // p * (dimension - head)), so that a scan rejecting most vectors at the first cut reads contiguous memory;
    // their suffix norms (p * cuts.length) and slots.
    private float[][] listHeads;
    private float[][] listTails;
    private float[][] listNorms;
    private int[][] listSlots;
    private int[] listSizes;
    private int listCount;

    // The centroids once partitioned (null while exact), and the size at which they were trained.
    private float[] centroids;
    private float[] centroidNorms;
    private int partitionedAt;

    /**
     * @param partitionCount the most centroids once partitioned; ignored while exact
     * @param probes         the number of nearest centroids whose lists a search scans
     */
    VectorIndex(int dimension, int exactSearchLimit, int partitionCount, int probes, long seed) {
        this(dimension, exactSearchLimit, partitionCount, probes, seed, Runnable::run);
    }

    /**
     * @param maintenance where partitioning runs once due: in the background so that no request waits for it,
     *                    or {@code Runnable::run} to partition within the addition that made it due
     */
    VectorIndex(int dimension, int exactSearchLimit, int partitionCount, int probes, long seed,
                Executor maintenance) {
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        if (dimension < 1 || exactSearchLimit < 0 || partitionCount < 1 || probes < 1) {
            throw new IllegalArgumentException("dimension, partitionCount and probes must be positive and "
                    + "exactSearchLimit not negative");
        }
        this.dimension = dimension;
        this.exactSearchLimit = exactSearchLimit;
        this.partitionCount = partitionCount;
        this.probes = Math.min(probes, partitionCount);
        this.seed = seed;
        this.cuts = Arrays.stream(CUT_EIGHTHS).map(e -> dimension * e / 8 / 8 * 8).filter(c -> c > 0).distinct()
                .toArray();
        this.head = cuts.length == 0 ? dimension : cuts[0];
        this.tail = dimension - head;
        this.listHeads = new float[][] {new float[16 * head]};
        this.listTails = new float[][] {new float[16 * tail]};
        this.listNorms = new float[][] {new float[16 * cuts.length]};
        this.listSlots = new int[][] {new int[16]};
        this.listSizes = new int[1];
        this.listCount = 1;
    }

    /** The best matches of a search, most similar first. */
    record Matches(int count, int[] slots, float[] similarities, Object[] payloads) {
    }

    int dimension() {
        return dimension;
    }

    /**
     * Stores a unit vector with its payload and returns its slot, or -1 when partitioning holds the index (the
     * vector is then not stored).
     */
    int add(float[] vector, Object payload) {
        checkDimension(vector);
        Objects.requireNonNull(payload, "payload");
        float[] norms = suffixNorms(vector, 0);
        if (!acquire(lock.writeLock())) {
            return -1;
        }
        int slot;
        boolean due;
        try {
            slot = freeCount > 0 ? freeSlots[--freeCount] : highWater++;
            if (slot >= payloads.length) {
                int capacity = payloads.length * 2;
                payloads = Arrays.copyOf(payloads, capacity);
                slotList = Arrays.copyOf(slotList, capacity);
                slotPosition = Arrays.copyOf(slotPosition, capacity);
            }
            payloads[slot] = payload;
            size++;
            int list = centroids == null ? 0 : nearestCentroid(vector, 0, norms, 0);
            append(list, slot, vector, 0, norms, 0);
            due = partitionDue();
        } finally {
            lock.writeLock().unlock();
        }
        if (due && partitionScheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(this::partitionIfDue);
            } catch (RejectedExecutionException e) {
                partitionScheduled.set(false); // the next addition tries again
            }
        }
        return slot;
    }

    private boolean partitionDue() {
        return centroids == null ? size > exactSearchLimit && size >= partitionCount
                : size >= (long) GROWTH * partitionedAt;
    }

    private void partitionIfDue() {
        lock.writeLock().lock();
        try {
            if (partitionDue()) {
                partition();
            }
        } finally {
            partitionScheduled.set(false);
            lock.writeLock().unlock();
        }
    }

    /** Takes {@code l} if it is free within {@link #WAIT_MS}; false if not (or if interrupted meanwhile). */
    private static boolean acquire(Lock l) {
        try {
            return l.tryLock(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
            int list = slotList[slot];
            int pos = slotPosition[slot];
            int last = --listSizes[list];
            if (pos != last) {
                int moved = listSlots[list][last];
                System.arraycopy(listHeads[list], last * head, listHeads[list], pos * head, head);
                System.arraycopy(listTails[list], last * tail, listTails[list], pos * tail, tail);
                System.arraycopy(listNorms[list], last * cuts.length, listNorms[list], pos * cuts.length,
                        cuts.length);
                listSlots[list][pos] = moved;
                slotPosition[moved] = pos;
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

    /**
     * Returns up to {@code k} stored vectors whose dot product with {@code query} is at least {@code minimum};
     * none when partitioning holds the index.
     */
    Matches search(float[] query, float minimum, int k) {
        checkDimension(query);
        float[] queryNorms = suffixNorms(query, 0);
        int[] slots = new int[k];
        float[] sims = new float[k];
        int count = 0;
        Object[] found = new Object[k];
        if (!acquire(lock.readLock())) {
            return new Matches(0, slots, sims, found);
        }
        try {
            if (centroids == null) {
                count = scanList(0, query, queryNorms, minimum, slots, sims, count);
            } else {
                int[] nearest = new int[probes];
                float[] nearestSims = new float[probes];
                int lists = 0;
                for (int c = 0; c < listCount; c++) {
                    float bar = lists == probes ? nearestSims[probes - 1] : Float.NEGATIVE_INFINITY;
                    float sim = boundedDot(centroids, c * dimension, centroidNorms, c * cuts.length, query, 0,
                            queryNorms, 0, bar);
                    lists = offer(nearest, nearestSims, lists, c, sim);
                }
                for (int p = 0; p < lists; p++) {
                    count = scanList(nearest[p], query, queryNorms, minimum, slots, sims, count);
                }
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

    /** Returns the number of lists: 1 while exact, else the number of centroids. */
    int lists() {
        lock.readLock().lock();
        try {
            return listCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the bytes of the arrays held: lists (vectors, norms, slots), slot tables and centroids. */
    long bytesAllocated() {
        lock.readLock().lock();
        try {
            long bytes = 4L * payloads.length + 8L * slotList.length + 4L * freeSlots.length;
            for (int l = 0; l < listCount; l++) {
                bytes += 64 + 4L * listHeads[l].length + 4L * listTails[l].length + 4L * listNorms[l].length
                        + 4L * listSlots[l].length;
            }
            if (centroids != null) {
                bytes += 4L * centroids.length + 4L * centroidNorms.length;
            }
            return bytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private int scanList(int list, float[] query, float[] queryNorms, float minimum, int[] slots, float[] sims,
            int count) {
        float[] hs = listHeads[list];
        float[] ts = listTails[list];
        float[] ns = listNorms[list];
        int[] ss = listSlots[list];
        for (int i = 0, n = listSizes[list]; i < n; i++) {
            // once k are found, only a better one changes the answer
            float bar = count == slots.length ? Math.max(minimum, sims[count - 1]) : minimum;
            float sim = boundedDot(hs, i * head, ts, i * tail, ns, i * cuts.length, query, 0, queryNorms, 0, bar);
            if (sim >= minimum) {
                count = offer(slots, sims, count, ss[i], sim);
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

    /**
     * Trains {@code sqrt(size × probes)} centroids (at most {@code partitionCount}) by seeded k-means on a
     * sample and moves every vector to the list of its nearest. Once partitioned, a vector is compared only
     * with the {@link #NEIGHBOURHOOD} new centroids nearest to its current one (its old centroid while
     * partitioning again, its last assigned during training), so partitioning again costs
     * {@code O(size × NEIGHBOURHOOD)} dot products rather than {@code O(size × partitions)}.
     */
    private void partition() {
        int p = (int) Math.max(1, Math.min(Math.min(partitionCount, size), Math.round(Math.sqrt((double) size
                * probes))));
        SplittableRandom random = new SplittableRandom(seed ^ size);
        int s = Math.min(size, SAMPLE_PER_PARTITION * p);
        float[] sample = new float[s * dimension];
        int[] assigned = new int[s];
        sample(sample, assigned, random);
        float[] sampleNorms = new float[s * cuts.length];
        for (int i = 0; i < s; i++) {
            System.arraycopy(suffixNorms(sample, i * dimension), 0, sampleNorms, i * cuts.length, cuts.length);
        }
        float[] oldCentroids = centroids;
        float[] oldNorms = centroidNorms;
        int oldCount = listCount;
        centroids = Arrays.copyOf(sample, p * dimension);
        centroidNorms = Arrays.copyOf(sampleNorms, p * cuts.length);
        // assigned[i] is the sample's old list until the first assignment
        int[][] around = oldCentroids == null ? null : neighbours(oldCentroids, oldNorms, oldCount, p);
        for (int iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
            for (int i = 0; i < s; i++) {
                assigned[i] = nearest(around == null ? null : around[assigned[i]], p, sample, i * dimension,
                        sampleNorms, i * cuts.length);
            }
            float[] sums = new float[p * dimension];
            int[] counts = new int[p];
            for (int i = 0; i < s; i++) {
                int c = assigned[i];
                counts[c]++;
                for (int d = 0, so = i * dimension, co = c * dimension; d < dimension; d++) {
                    sums[co + d] += sample[so + d];
                }
            }
            for (int c = 0; c < p; c++) {
                if (counts[c] > 0) { // an empty cluster keeps its centroid
                    double n2 = 0;
                    for (int d = c * dimension; d < (c + 1) * dimension; d++) {
                        n2 += (double) sums[d] * sums[d];
                    }
                    float inv = n2 > 0 ? (float) (1 / Math.sqrt(n2)) : 0f;
                    for (int d = c * dimension; d < (c + 1) * dimension; d++) {
                        centroids[d] = sums[d] * inv;
                    }
                    System.arraycopy(suffixNorms(centroids, c * dimension), 0, centroidNorms, c * cuts.length,
                            cuts.length);
                }
            }
            around = neighbours(centroids, centroidNorms, p, p);
        }
        redistribute(p, oldCentroids == null ? null : neighbours(oldCentroids, oldNorms, oldCount, p));
        partitionedAt = size;
    }

    /**
     * For each of {@code count} vectors of {@code from}, the {@link #NEIGHBOURHOOD} new centroids nearest to
     * it; null when there are not more centroids than that (every one is then compared).
     */
    private int[][] neighbours(float[] from, float[] fromNorms, int count, int p) {
        if (p <= NEIGHBOURHOOD) {
            return null;
        }
        int[][] out = new int[count][];
        float[] sims = new float[NEIGHBOURHOOD];
        for (int f = 0; f < count; f++) {
            int[] ids = new int[NEIGHBOURHOOD];
            int found = 0;
            for (int c = 0; c < p; c++) {
                float bar = found == NEIGHBOURHOOD ? sims[NEIGHBOURHOOD - 1] : Float.NEGATIVE_INFINITY;
                float sim = boundedDot(centroids, c * dimension, centroidNorms, c * cuts.length, from,
                        f * dimension, fromNorms, f * cuts.length, bar);
                found = offer(ids, sims, found, c, sim);
            }
            out[f] = ids;
        }
        return out;
    }

    /** Copies a seeded uniform sample of live vectors, in random order, and the list each was in. */
    private void sample(float[] out, int[] lists, SplittableRandom random) {
        int n = lists.length;
        int taken = 0;
        int seen = 0;
        for (int l = 0; l < listCount && taken < n; l++) {
            for (int i = 0; i < listSizes[l] && taken < n; i++, seen++) {
                // selection sampling: each of the remaining is taken with probability needed / remaining
                if (random.nextInt(size - seen) < n - taken) {
                    System.arraycopy(listHeads[l], i * head, out, taken * dimension, head);
                    System.arraycopy(listTails[l], i * tail, out, taken * dimension + head, tail);
                    lists[taken++] = l;
                }
            }
        }
        float[] swap = new float[dimension];
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            System.arraycopy(out, i * dimension, swap, 0, dimension);
            System.arraycopy(out, j * dimension, out, i * dimension, dimension);
            System.arraycopy(swap, 0, out, j * dimension, dimension);
            int l = lists[i];
            lists[i] = lists[j];
            lists[j] = l;
        }
    }

    /**
     * Moves every vector from the current lists to the list of its nearest of the {@code p} new centroids,
     * among {@code around[its list]} if given.
     */
    private void redistribute(int p, int[][] around) {
        int[][] target = new int[listCount][];
        int[] counts = new int[p];
        float[] vector = new float[dimension];
        for (int l = 0; l < listCount; l++) {
            target[l] = new int[listSizes[l]];
            for (int i = 0; i < listSizes[l]; i++) {
                System.arraycopy(listHeads[l], i * head, vector, 0, head);
                System.arraycopy(listTails[l], i * tail, vector, head, tail);
                int c = nearest(around == null ? null : around[l], p, vector, 0, listNorms[l], i * cuts.length);
                target[l][i] = c;
                counts[c]++;
            }
        }
        float[][] oldHeads = listHeads;
        float[][] oldTails = listTails;
        float[][] oldNorms = listNorms;
        int[][] oldSlots = listSlots;
        int[] oldSizes = listSizes;
        int oldCount = listCount;
        listHeads = new float[p][];
        listTails = new float[p][];
        listNorms = new float[p][];
        listSlots = new int[p][];
        listSizes = new int[p];
        listCount = p;
        for (int c = 0; c < p; c++) {
            int capacity = counts[c] + counts[c] / 4 + 4;
            listHeads[c] = new float[capacity * head];
            listTails[c] = new float[capacity * tail];
            listNorms[c] = new float[capacity * cuts.length];
            listSlots[c] = new int[capacity];
        }
        for (int l = 0; l < oldCount; l++) {
            for (int i = 0; i < oldSizes[l]; i++) {
                append(target[l][i], oldSlots[l][i], oldHeads[l], i * head, oldTails[l], i * tail, oldNorms[l],
                        i * cuts.length);
            }
            oldHeads[l] = null; // let each old list go as soon as it is moved
            oldTails[l] = null;
        }
    }

    private void append(int list, int slot, float[] vector, int offset, float[] norms, int normOffset) {
        append(list, slot, vector, offset, vector, offset + head, norms, normOffset);
    }

    private void append(int list, int slot, float[] h, int ho, float[] t, int to, float[] norms, int normOffset) {
        int n = listSizes[list];
        if (n == listSlots[list].length) {
            // by half, not double: hundreds of lists each half empty after doubling cost ~1 KB per entry
            int capacity = n + (n >> 1) + 4;
            listHeads[list] = Arrays.copyOf(listHeads[list], capacity * head);
            listTails[list] = Arrays.copyOf(listTails[list], capacity * tail);
            listNorms[list] = Arrays.copyOf(listNorms[list], capacity * cuts.length);
            listSlots[list] = Arrays.copyOf(listSlots[list], capacity);
        }
        System.arraycopy(h, ho, listHeads[list], n * head, head);
        System.arraycopy(t, to, listTails[list], n * tail, tail);
        System.arraycopy(norms, normOffset, listNorms[list], n * cuts.length, cuts.length);
        listSlots[list][n] = slot;
        listSizes[list] = n + 1;
        slotList[slot] = list;
        slotPosition[slot] = n;
    }

    private int nearestCentroid(float[] data, int offset, float[] norms, int normOffset) {
        return nearest(null, listCount, data, offset, norms, normOffset);
    }

    /**
     * The first centroid with the greatest dot product with the vector: among {@code candidates} if given,
     * else among the first {@code count}.
     */
    private int nearest(int[] candidates, int count, float[] data, int offset, float[] norms, int normOffset) {
        int n = candidates == null ? count : candidates.length;
        int best = candidates == null ? 0 : candidates[0];
        float bestSim = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            int c = candidates == null ? k : candidates[k];
            float sim = boundedDot(centroids, c * dimension, centroidNorms, c * cuts.length, data, offset, norms,
                    normOffset, bestSim);
            if (sim > bestSim || (sim == bestSim && c < best)) {
                bestSim = sim;
                best = c;
            }
        }
        return best;
    }

    /** The norms of the vector at {@code offset} after each cut, {@code |v[cut..dimension)|}. */
    private float[] suffixNorms(float[] v, int offset) {
        float[] norms = new float[cuts.length];
        double rest = 0;
        int c = cuts.length - 1;
        for (int d = dimension - 1; d >= 0 && c >= 0; d--) {
            rest += (double) v[offset + d] * v[offset + d];
            if (d == cuts[c]) {
                norms[c--] = (float) Math.sqrt(rest);
            }
        }
        return norms;
    }

    private float boundedDot(float[] a, int ao, float[] aNorms, int no, float[] q, int qo, float[] qNorms,
            int qno, float bar) {
        return boundedDot(a, ao, a, ao + head, aNorms, no, q, qo, qNorms, qno, bar);
    }

    /**
     * The dot product of the query {@code q} at {@code qo} with a vector whose first {@code head} dimensions
     * are {@code h} at {@code ho} and the rest {@code t} at {@code to}, exactly as {@link #dot} computes it
     * (the same eight sums in the same order); or negative infinity as soon as a cut shows it is below
     * {@code bar}.
     */
    private float boundedDot(float[] h, int ho, float[] t, int to, float[] aNorms, int no, float[] q, int qo,
            float[] qNorms, int qno, float bar) {
        if (cuts.length == 0) {
            return dot(h, ho, q, qo, dimension);
        }
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        float need = bar - BOUND_MARGIN;
        int i = 0;
        for (; i < head; i += 8) {
            s0 += h[ho + i] * q[qo + i];
            s1 += h[ho + i + 1] * q[qo + i + 1];
            s2 += h[ho + i + 2] * q[qo + i + 2];
            s3 += h[ho + i + 3] * q[qo + i + 3];
            s4 += h[ho + i + 4] * q[qo + i + 4];
            s5 += h[ho + i + 5] * q[qo + i + 5];
            s6 += h[ho + i + 6] * q[qo + i + 6];
            s7 += h[ho + i + 7] * q[qo + i + 7];
        }
        if (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + aNorms[no] * qNorms[qno] < need) {
            return Float.NEGATIVE_INFINITY;
        }
        int tb = to - head; // t[tb + i] is dimension i
        for (int c = 1; c < cuts.length; c++) {
            for (int end = cuts[c]; i < end; i += 8) {
                s0 += t[tb + i] * q[qo + i];
                s1 += t[tb + i + 1] * q[qo + i + 1];
                s2 += t[tb + i + 2] * q[qo + i + 2];
                s3 += t[tb + i + 3] * q[qo + i + 3];
                s4 += t[tb + i + 4] * q[qo + i + 4];
                s5 += t[tb + i + 5] * q[qo + i + 5];
                s6 += t[tb + i + 6] * q[qo + i + 6];
                s7 += t[tb + i + 7] * q[qo + i + 7];
            }
            if (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + aNorms[no + c] * qNorms[qno + c] < need) {
                return Float.NEGATIVE_INFINITY;
            }
        }
        for (; i + 7 < dimension; i += 8) {
            s0 += t[tb + i] * q[qo + i];
            s1 += t[tb + i + 1] * q[qo + i + 1];
            s2 += t[tb + i + 2] * q[qo + i + 2];
            s3 += t[tb + i + 3] * q[qo + i + 3];
            s4 += t[tb + i + 4] * q[qo + i + 4];
            s5 += t[tb + i + 5] * q[qo + i + 5];
            s6 += t[tb + i + 6] * q[qo + i + 6];
            s7 += t[tb + i + 7] * q[qo + i + 7];
        }
        for (; i < dimension; i++) {
            s0 += t[tb + i] * q[qo + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private void checkDimension(float[] vector) {
        if (Objects.requireNonNull(vector, "vector").length != dimension) {
            throw new IllegalArgumentException("expected " + dimension + " dimensions, got " + vector.length);
        }
    }

    /**
     * The dot product of {@code n} floats of {@code a} from {@code ao} and of {@code b} from {@code bo}. Eight
     * independent sums let the CPU overlap the additions (the JIT does not vectorise a float reduction); eight
     * rather than four made it ~1.6 times faster on the 2-core benchmark machine (BENCHMARKS.md).
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
            s4 += a[ao + i + 4] * b[bo + i + 4];
            s5 += a[ao + i + 5] * b[bo + i + 5];
            s6 += a[ao + i + 6] * b[bo + i + 6];
            s7 += a[ao + i + 7] * b[bo + i + 7];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
