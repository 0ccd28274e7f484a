package io.bulwark.resilience.cache;

import java.util.Arrays;

/**
 * The dot products of an index's vectors, shared by its search and its partitioning: the cut points, the suffix
 * norms kept per vector, the bounded dot product and the ranking of the best scores.
 *
 * <p>Every dot product is computed the same way, eight running sums over the dimensions in order
 * ({@link #dot}); {@link #boundedDot} stops one early, at a few cut points, when the sum so far plus the
 * Cauchy–Schwarz bound of the rest ({@code |a_rest| · |q_rest|}) cannot reach what the caller needs. That is
 * a bound, not an approximation.
 */
final class DotProducts {

    /** Where the rest of a dot product is bounded, as eighths of the dimension (rounded down to 8). */
    private static final int[] CUT_EIGHTHS = {2, 4, 6};
    /** Float rounding allowance of the bound, far above the error of a 384-term float sum of unit vectors. */
    private static final float BOUND_MARGIN = 1e-4f;

    private final int dimension;
    private final int[] cuts;
    private final int head;

    DotProducts(int dimension) {
        this.dimension = dimension;
        this.cuts = Arrays.stream(CUT_EIGHTHS).map(e -> dimension * e / 8 / 8 * 8).filter(c -> c > 0).distinct()
                .toArray();
        this.head = cuts.length == 0 ? dimension : cuts[0];
    }

    int dimension() {
        return dimension;
    }

    /** The number of suffix norms per vector, one per cut. */
    int norms() {
        return cuts.length;
    }

    /** The dimensions before the first cut, stored apart from the rest. */
    int head() {
        return head;
    }

    /** The norms of the vector at {@code offset} after each cut, {@code |v[cut..dimension)|}. */
    float[] suffixNorms(float[] v, int offset) {
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

    /**
     * The first centroid with the greatest dot product with the vector: among {@code candidates} if given,
     * else among the first {@code count}.
     */
    int nearest(float[] centroids, float[] centroidNorms, int[] candidates, int count, float[] data, int offset,
            float[] norms, int normOffset) {
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

    /** Keeps the best {@code ids.length} (id, score) pairs sorted by score, best first; returns the new count. */
    static int offer(int[] ids, float[] scores, int count, int id, float score) {
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

    float boundedDot(float[] a, int ao, float[] aNorms, int no, float[] q, int qo, float[] qNorms, int qno,
            float bar) {
        return boundedDot(a, ao, a, ao + head, aNorms, no, q, qo, qNorms, qno, bar);
    }

    /**
     * The dot product of the query {@code q} at {@code qo} with a vector whose first {@code head} dimensions
     * are {@code h} at {@code ho} and the rest {@code t} at {@code to}, exactly as {@link #dot} computes it
     * (the same eight sums in the same order); or negative infinity as soon as a cut shows it is below
     * {@code bar}.
     */
    float boundedDot(float[] h, int ho, float[] t, int to, float[] aNorms, int no, float[] q, int qo,
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
