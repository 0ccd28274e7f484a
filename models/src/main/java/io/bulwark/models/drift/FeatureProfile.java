package io.bulwark.models.drift;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one feature looked like in a version's training rows: a sample of a number's distribution, or the counts of a
 * category's values. Saved with the version ({@code profile.json}); drift compares served inputs against it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = FeatureProfile.Numeric.class, name = "numeric"),
        @JsonSubTypes.Type(value = FeatureProfile.Categorical.class, name = "categorical")})
public sealed interface FeatureProfile {

    /** Rows the profile was made from. */
    int count();

    /**
     * A number's distribution: every training value, sorted, when there are at most {@link #MAX_VALUES} of them, else
     * {@link #MAX_VALUES} evenly spaced quantiles (then the Kolmogorov–Smirnov p-value counts the reference as that
     * many rows: more cautious, never less).
     *
     * @param values sorted ascending
     * @param edges  the inner edges of the PSI bins: the reference's deciles, repeated ones removed
     */
    record Numeric(int count, double[] values, double[] edges) implements FeatureProfile {

        /** The most reference values kept per feature. */
        public static final int MAX_VALUES = 2000;
        /** Bins of the population stability index. */
        public static final int BINS = 10;

        public Numeric {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(edges, "edges");
        }

        /** Returns the profile of {@code data} (any order; not changed). */
        static Numeric of(double[] data) {
            double[] sorted = data.clone();
            Arrays.sort(sorted);
            double[] kept = sorted.length <= MAX_VALUES ? sorted : quantiles(sorted, MAX_VALUES);
            double[] edges = Arrays.stream(quantiles(sorted, BINS + 1), 1, BINS).distinct().toArray();
            return new Numeric(sorted.length, kept, edges);
        }

        /** Returns {@code k} quantiles of sorted data, from its minimum to its maximum. */
        private static double[] quantiles(double[] sorted, int k) {
            double[] q = new double[k];
            for (int i = 0; i < k; i++) {
                double pos = (double) i * (sorted.length - 1) / (k - 1);
                int lo = (int) Math.floor(pos);
                int hi = Math.min(lo + 1, sorted.length - 1);
                q[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
            }
            return q;
        }

        /** Returns the bin of {@code x}: 0 below the first edge, {@code edges.length} at or above the last. */
        int bin(double x) {
            int i = Arrays.binarySearch(edges, x);
            return i >= 0 ? i + 1 : -i - 1;
        }

        /** Returns the share of the reference in each bin. */
        double[] binShares() {
            double[] shares = new double[edges.length + 1];
            for (double v : values) {
                shares[bin(v)]++;
            }
            for (int i = 0; i < shares.length; i++) {
                shares[i] /= values.length;
            }
            return shares;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numeric n && n.count == count && Arrays.equals(n.values, values)
                    && Arrays.equals(n.edges, edges);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + count;
        }

        @Override
        public String toString() {
            return "Numeric[count=" + count + ", values=" + values.length + ", edges=" + Arrays.toString(edges) + "]";
        }
    }

    /**
     * A category's values and how often each was seen; {@link #MISSING} counts the rows without one.
     *
     * @param counts by value, in a stable order
     */
    record Categorical(int count, Map<String, Long> counts) implements FeatureProfile {

        /** The value of a row that sets none of a category's values (e.g. a penguin of unknown sex). */
        public static final String MISSING = "(none)";

        public Categorical {
            counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }
    }
}
