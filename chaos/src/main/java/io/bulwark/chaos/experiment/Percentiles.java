package io.bulwark.chaos.experiment;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of values.
 */
public final class Percentiles {

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** Returns the percentiles of {@code values} (copied). */
    public static Percentiles of(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** Returns the value at quantile {@code q} (0 < q ≤ 1) by nearest rank; 0 for no values. */
    public double at(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be within (0, 1]: " + q);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Returns the largest value; 0 for none. */
    public double max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
