package io.bulwark.resilience.cache;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The partitioning of a {@link VectorIndex}: centroids trained by a few seeded k-means iterations on a sample of
 * its vectors, and the new list of every vector, that of its nearest centroid. It reads the index's lists and
 * changes nothing; the index moves the vectors.
 */
final class Partitioner {

    /** k-means is trained on at most this many sampled vectors per centroid. */
    private static final int SAMPLE_PER_PARTITION = 16;
    private static final int KMEANS_ITERATIONS = 4;
    /** Partitioning again compares a vector with this many new centroids near its old one (see partition). */
    private static final int NEIGHBOURHOOD = 64;

    private final DotProducts dots;
    private final int dimension;
    private final int norms;
    private final int head;
    private final int tail;
    private final int partitionCount;
    private final int probes;
    private final long seed;

    Partitioner(DotProducts dots, int partitionCount, int probes, long seed) {
        this.dots = dots;
        this.dimension = dots.dimension();
        this.norms = dots.norms();
        this.head = dots.head();
        this.tail = dimension - head;
        this.partitionCount = partitionCount;
        this.probes = probes;
        this.seed = seed;
    }

    /**
     * The lists of an index as they stand: per list its vectors' heads, tails and suffix norms (laid out as in
     * {@link VectorIndex}), and the current centroids (null while exact).
     */
    record Lists(float[][] heads, float[][] tails, float[][] norms, int[] sizes, int count, int size,
                 float[] centroids, float[] centroidNorms) {
    }

    /**
     * The new partitioning: {@code count} centroids with their suffix norms, the centroid each vector goes to
     * ({@code target[list][position]}) and how many go to each.
     */
    record Partition(float[] centroids, float[] centroidNorms, int count, int[][] target, int[] counts) {
    }

    /**
     * Trains {@code sqrt(size × probes)} centroids (at most {@code partitionCount}) by seeded k-means on a
     * sample and assigns every vector to the list of its nearest. Once partitioned, a vector is compared only
     * with the {@link #NEIGHBOURHOOD} new centroids nearest to its current one (its old centroid while
     * partitioning again, its last assigned during training), so partitioning again costs
     * {@code O(size × NEIGHBOURHOOD)} dot products rather than {@code O(size × partitions)}.
     */
    Partition partition(Lists lists) {
        int size = lists.size();
        int p = (int) Math.max(1, Math.min(Math.min(partitionCount, size), Math.round(Math.sqrt((double) size
                * probes))));
        SplittableRandom random = new SplittableRandom(seed ^ size);
        int s = Math.min(size, SAMPLE_PER_PARTITION * p);
        float[] sample = new float[s * dimension];
        int[] assigned = new int[s];
        sample(lists, sample, assigned, random);
        float[] sampleNorms = new float[s * norms];
        for (int i = 0; i < s; i++) {
            System.arraycopy(dots.suffixNorms(sample, i * dimension), 0, sampleNorms, i * norms, norms);
        }
        float[] oldCentroids = lists.centroids();
        float[] oldNorms = lists.centroidNorms();
        int oldCount = lists.count();
        float[] centroids = Arrays.copyOf(sample, p * dimension);
        float[] centroidNorms = Arrays.copyOf(sampleNorms, p * norms);
        // assigned[i] is the sample's old list until the first assignment
        int[][] around = oldCentroids == null ? null
                : neighbours(centroids, centroidNorms, oldCentroids, oldNorms, oldCount, p);
        for (int iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
            for (int i = 0; i < s; i++) {
                int[] candidates = around == null ? null : around[assigned[i]];
                assigned[i] = dots.nearest(centroids, centroidNorms, candidates, p, sample, i * dimension,
                        sampleNorms, i * norms);
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
                    System.arraycopy(dots.suffixNorms(centroids, c * dimension), 0, centroidNorms, c * norms,
                            norms);
                }
            }
            around = neighbours(centroids, centroidNorms, centroids, centroidNorms, p, p);
        }
        int[][] target = new int[oldCount][];
        int[] counts = assign(lists, centroids, centroidNorms, p, target, oldCentroids == null ? null
                : neighbours(centroids, centroidNorms, oldCentroids, oldNorms, oldCount, p));
        return new Partition(centroids, centroidNorms, p, target, counts);
    }

    /**
     * For each of {@code count} vectors of {@code from}, the {@link #NEIGHBOURHOOD} new centroids nearest to
     * it; null when there are not more centroids than that (every one is then compared).
     */
    private int[][] neighbours(float[] centroids, float[] centroidNorms, float[] from, float[] fromNorms,
            int count, int p) {
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
                float sim = dots.boundedDot(centroids, c * dimension, centroidNorms, c * norms, from,
                        f * dimension, fromNorms, f * norms, bar);
                found = DotProducts.offer(ids, sims, found, c, sim);
            }
            out[f] = ids;
        }
        return out;
    }

    /** Copies a seeded uniform sample of live vectors, in random order, and the list each was in. */
    private void sample(Lists from, float[] out, int[] lists, SplittableRandom random) {
        int n = lists.length;
        int taken = 0;
        int seen = 0;
        for (int l = 0; l < from.count() && taken < n; l++) {
            for (int i = 0; i < from.sizes()[l] && taken < n; i++, seen++) {
                // selection sampling: each of the remaining is taken with probability needed / remaining
                if (random.nextInt(from.size() - seen) < n - taken) {
                    System.arraycopy(from.heads()[l], i * head, out, taken * dimension, head);
                    System.arraycopy(from.tails()[l], i * tail, out, taken * dimension + head, tail);
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
     * Fills {@code target} with the nearest of the {@code p} new centroids of every vector of the current lists,
     * among {@code around[its list]} if given; returns how many go to each centroid.
     */
    private int[] assign(Lists from, float[] centroids, float[] centroidNorms, int p, int[][] target,
            int[][] around) {
        int[] counts = new int[p];
        float[] vector = new float[dimension];
        for (int l = 0; l < from.count(); l++) {
            target[l] = new int[from.sizes()[l]];
            for (int i = 0; i < from.sizes()[l]; i++) {
                System.arraycopy(from.heads()[l], i * head, vector, 0, head);
                System.arraycopy(from.tails()[l], i * tail, vector, head, tail);
                int c = dots.nearest(centroids, centroidNorms, around == null ? null : around[l], p, vector, 0,
                        from.norms()[l], i * norms);
                target[l][i] = c;
                counts[c]++;
            }
        }
        return counts;
    }
}
