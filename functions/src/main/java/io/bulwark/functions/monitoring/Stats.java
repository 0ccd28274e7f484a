package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Arrays;

/**
 * Summary statistics of a metric over a window: the seed's {@code get_summary} (mean, p50, p95, p99), with the
 * count and the maximum. Percentiles are nearest-rank over the exact values.
 */
@JsonPropertyOrder({"count", "mean", "p50", "p95", "p99", "max"})
public record Stats(int count, double mean, double p50, double p95, double p99, double max) {

    /** The statistics of no values: all zero. */
    public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0);

    /** Returns the statistics of the first {@code n} values of {@code values}, which it sorts in place. */
    public static Stats of(double[] values, int n) {
        if (n == 0) {
            return EMPTY;
        }
        Arrays.sort(values, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return new Stats(n, round(sum / n), round(rank(values, n, 0.50)), round(rank(values, n, 0.95)),
                round(rank(values, n, 0.99)), round(values[n - 1]));
    }

    private static double rank(double[] sorted, int n, double p) {
        int index = (int) Math.ceil(p * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, index))];
    }

    /** Rounds to 6 significant decimals' worth of use: 3 places above 1, more for small costs. */
    static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.abs(v) >= 1 ? 1e3 : 1e9;
        return Math.round(v * scale) / scale;
    }
}
