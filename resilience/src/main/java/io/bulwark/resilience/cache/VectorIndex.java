package io.bulwark.resilience.cache;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * on a sample, every vector moved to the list of its nearest centroid ({@link Partitioner}); a search then
 * compares the query with the centroids and scans only the lists of the {@code probes} nearest. Because the
 * cache only wants neighbours above a high similarity threshold — near duplicates, which almost always share
 * their nearest centroid — this loses very few hits (measured in {@code VectorIndexTest} and BENCHMARKS.md).
 * The number of centroids follows the size, {@code sqrt(size × probes)} up to {@code partitionCount}, and the
 * index partitions again each time its size has doubled, so centroids chosen for a small early sample do not
 * stay forever. Insertion is one pass over the centroids; removal is O(1) (the list's last vector moves into
 * the hole), so memory stays bounded however much the cache churns.
 *
 * <p>Every dot product is computed the same way, eight running sums over the dimensions in order
 * ({@link DotProducts#dot}); a scan stops one early, at a few cut points, when the sum so far plus the
 * Cauchy–Schwarz bound of the rest ({@code |a_rest| · |q_rest|}, suffix norms kept per vector) cannot reach
 * what the search needs. That is a bound, not an approximation: the results are those of the full scan.
 *
 * <p>Thread-safe: searches share a read lock, additions and removals take the write lock. Partitioning
 * (again) runs on the {@code maintenance} executor after the addition that made it due: 0.4 s at 10k entries,
 * 2 s at 100k. It trains the centroids and lays out the new lists under the <em>read</em> lock, so searches go on
 * over the old lists meanwhile, and takes the write lock only to install the new ones (a few assignments).
 * Meanwhile an addition is skipped (returns -1: a cache may always miss a fill) and a removal is deferred until
 * the new lists are installed; were an addition to slip in between (it took the lock just before partitioning
 * started), the new layout is dropped and partitioning is scheduled again. A search or an addition that
 * cannot have the lock within {@link #WAIT_MS} gives up (a miss, or a skipped fill). The new lists are built
 * beside the old ones: the vectors' memory is held twice until they are installed. With an inline executor
 * ({@code Runnable::run}) partitioning happens within the addition, in order, as reproducible simulations need.
 */
final class VectorIndex {

    /** The index partitions again once its size has grown by this factor since it last did. */
    private static final int GROWTH = 2;

    private final int dimension;
    private final int exactSearchLimit;
    private final int partitionCount;
    private final int probes;
    private final DotProducts dots;
    private final Partitioner partitioner;
    /** The suffix norms kept per vector, one per cut (see {@link DotProducts}). */
    private final int normCount;
    private final int head;
    private final int tail;
    /** How long a search or an addition waits for the lock before giving up (brief writes take microseconds). */
    static final long WAIT_MS = 10;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Executor maintenance;
    private final AtomicBoolean partitionScheduled = new AtomicBoolean();
    /** True while partitioning lays out new lists under the read lock: additions skip, removals wait in line. */
    private volatile boolean partitioning;
    private final ConcurrentLinkedQueue<Removal> deferredRemovals = new ConcurrentLinkedQueue<>();
    /** Counts additions and removals (under the write lock): a layout built from an older state is dropped. */
    private long modifications;

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
    // their suffix norms (p * normCount) and slots.
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
        this.dots = new DotProducts(dimension);
        this.partitioner = new Partitioner(dots, partitionCount, this.probes, seed);
        this.normCount = dots.norms();
        this.head = dots.head();
        this.tail = dimension - head;
        this.listHeads = new float[][] {new float[16 * head]};
        this.listTails = new float[][] {new float[16 * tail]};
        this.listNorms = new float[][] {new float[16 * normCount]};
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
        float[] norms = dots.suffixNorms(vector, 0);
        if (partitioning || !acquire(lock.writeLock())) {
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
            modifications++;
            int list = centroids == null ? 0 : nearestCentroid(vector, 0, norms, 0);
            append(list, slot, vector, 0, norms, 0);
            due = partitionDue();
        } finally {
            lock.writeLock().unlock();
        }
        if (due) {
            schedulePartition();
        }
        return slot;
    }

    private boolean partitionDue() {
        return centroids == null ? size > exactSearchLimit && size >= partitionCount
                : size >= (long) GROWTH * partitionedAt;
    }

    /** Has the index partitioned on the maintenance executor, unless it is already scheduled. */
    private void schedulePartition() {
        if (partitionScheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(this::partitionIfDue);
            } catch (RejectedExecutionException e) {
                partitionScheduled.set(false); // the next addition tries again
            }
        }
    }

    private void partitionIfDue() {
        boolean dropped = false;
        try {
            Layout next;
            long seen;
            partitioning = true;
            lock.readLock().lock();
            try {
                if (!partitionDue()) {
                    return;
                }
                seen = modifications;
                next = partition();
            } finally {
                lock.readLock().unlock();
            }
            lock.writeLock().lock();
            try {
                if (modifications == seen) {
                    install(next);
                } else {
                    dropped = true;
                }
                partitioning = false;
                removeDeferred();
            } finally {
                lock.writeLock().unlock();
            }
        } finally {
            partitioning = false;
            partitionScheduled.set(false);
            if (!deferredRemovals.isEmpty()) {
                lock.writeLock().lock();
                try {
                    removeDeferred();
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
        if (dropped) {
            // overtaken by a modification: partition again now rather than at an addition that may never come
            schedulePartition();
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

    /**
     * Removes the vector at {@code slot} if it still holds {@code payload}; returns whether it did. While the index
     * partitions, the removal is deferred until the new lists are installed (and counted as done).
     */
    boolean remove(int slot, Object payload) {
        while (true) {
            if (partitioning) {
                deferredRemovals.add(new Removal(slot, payload));
                if (partitioning) {
                    return true; // removed with the others once the new lists are installed
                }
                // partitioning ended meanwhile: whoever takes the write lock next removes it
                lock.writeLock().lock();
                try {
                    removeDeferred();
                } finally {
                    lock.writeLock().unlock();
                }
                return true;
            }
            boolean interrupted = Thread.currentThread().isInterrupted();
            if (interrupted || acquire(lock.writeLock())) {
                if (interrupted) {
                    lock.writeLock().lock(); // an interrupted thread's tryLock fails at once: wait instead of spinning
                }
                try {
                    return removeLocked(slot, payload);
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
    }

    private void removeDeferred() {
        for (Removal r; (r = deferredRemovals.poll()) != null; ) {
            removeLocked(r.slot(), r.payload());
        }
    }

    private boolean removeLocked(int slot, Object payload) {
        if (slot < 0 || slot >= highWater || payloads[slot] != payload) {
            return false;
        }
        payloads[slot] = null;
        size--;
        modifications++;
        int list = slotList[slot];
        int pos = slotPosition[slot];
        int last = --listSizes[list];
        if (pos != last) {
            int moved = listSlots[list][last];
            System.arraycopy(listHeads[list], last * head, listHeads[list], pos * head, head);
            System.arraycopy(listTails[list], last * tail, listTails[list], pos * tail, tail);
            System.arraycopy(listNorms[list], last * normCount, listNorms[list], pos * normCount, normCount);
            listSlots[list][pos] = moved;
            slotPosition[moved] = pos;
        }
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        return true;
    }

    /** Returns whether partitioning is laying out new lists right now (tests). */
    boolean partitioning() {
        return partitioning;
    }

    /**
     * Returns up to {@code k} stored vectors whose dot product with {@code query} is at least {@code minimum};
     * none when partitioning holds the index.
     */
    Matches search(float[] query, float minimum, int k) {
        checkDimension(query);
        float[] queryNorms = dots.suffixNorms(query, 0);
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
                    float sim = dots.boundedDot(centroids, c * dimension, centroidNorms, c * normCount, query, 0,
                            queryNorms, 0, bar);
                    lists = DotProducts.offer(nearest, nearestSims, lists, c, sim);
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

    /**
     * Returns the number of vectors stored, not counting those whose removal waits for a partition to end (the cache
     * has let them go already and never answers with them).
     */
    int size() {
        lock.readLock().lock();
        try {
            return size - deferredRemovals.size();
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
            float sim = dots.boundedDot(hs, i * head, ts, i * tail, ns, i * normCount, query, 0, queryNorms, 0,
                    bar);
            if (sim >= minimum) {
                count = DotProducts.offer(slots, sims, count, ss[i], sim);
            }
        }
        return count;
    }

    /**
     * Trains new centroids ({@link Partitioner#partition}) and lays out new lists with every vector in the list of
     * its nearest; reads the index only (the caller holds the read lock), so searches go on meanwhile.
     */
    private Layout partition() {
        Partitioner.Partition next = partitioner.partition(new Partitioner.Lists(listHeads, listTails, listNorms,
                listSizes, listCount, size, centroids, centroidNorms));
        return redistributed(next);
    }

    /** Makes {@code next} the index's lists (under the write lock). */
    private void install(Layout next) {
        centroids = next.centroids;
        centroidNorms = next.centroidNorms;
        listHeads = next.heads;
        listTails = next.tails;
        listNorms = next.norms;
        listSlots = next.slots;
        listSizes = next.sizes;
        listCount = next.count;
        slotList = next.slotList;
        slotPosition = next.slotPosition;
        partitionedAt = size;
    }

    /** New lists, centroids and slot tables, built beside the current ones, which they leave untouched. */
    private record Layout(float[] centroids, float[] centroidNorms, float[][] heads, float[][] tails,
                          float[][] norms, int[][] slots, int[] sizes, int count, int[] slotList,
                          int[] slotPosition) {
    }

    /** A removal that came while partitioning: done once the new lists are installed. */
    private record Removal(int slot, Object payload) {
    }

    /**
     * Lays out the vectors of the current lists in the {@code next.count()} new ones, the vector at {@code i} of
     * list {@code l} in list {@code target[l][i]}; {@code counts} are the new lists' sizes.
     */
    private Layout redistributed(Partitioner.Partition next) {
        int p = next.count();
        int[][] target = next.target();
        int[] counts = next.counts();
        float[][] heads = new float[p][];
        float[][] tails = new float[p][];
        float[][] norms = new float[p][];
        int[][] slots = new int[p][];
        int[] sizes = new int[p];
        int[] newSlotList = slotList.clone();
        int[] newSlotPosition = slotPosition.clone();
        for (int c = 0; c < p; c++) {
            int capacity = counts[c] + counts[c] / 4 + 4;
            heads[c] = new float[capacity * head];
            tails[c] = new float[capacity * tail];
            norms[c] = new float[capacity * normCount];
            slots[c] = new int[capacity];
        }
        for (int l = 0; l < listCount; l++) {
            for (int i = 0; i < listSizes[l]; i++) {
                int c = target[l][i];
                int n = sizes[c]++;
                int slot = listSlots[l][i];
                System.arraycopy(listHeads[l], i * head, heads[c], n * head, head);
                System.arraycopy(listTails[l], i * tail, tails[c], n * tail, tail);
                System.arraycopy(listNorms[l], i * normCount, norms[c], n * normCount, normCount);
                slots[c][n] = slot;
                newSlotList[slot] = c;
                newSlotPosition[slot] = n;
            }
        }
        return new Layout(next.centroids(), next.centroidNorms(), heads, tails, norms, slots, sizes, p, newSlotList,
                newSlotPosition);
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
            listNorms[list] = Arrays.copyOf(listNorms[list], capacity * normCount);
            listSlots[list] = Arrays.copyOf(listSlots[list], capacity);
        }
        System.arraycopy(h, ho, listHeads[list], n * head, head);
        System.arraycopy(t, to, listTails[list], n * tail, tail);
        System.arraycopy(norms, normOffset, listNorms[list], n * normCount, normCount);
        listSlots[list][n] = slot;
        listSizes[list] = n + 1;
        slotList[slot] = list;
        slotPosition[slot] = n;
    }

    private int nearestCentroid(float[] data, int offset, float[] norms, int normOffset) {
        return dots.nearest(centroids, centroidNorms, null, listCount, data, offset, norms, normOffset);
    }

    private void checkDimension(float[] vector) {
        if (Objects.requireNonNull(vector, "vector").length != dimension) {
            throw new IllegalArgumentException("expected " + dimension + " dimensions, got " + vector.length);
        }
    }
}
