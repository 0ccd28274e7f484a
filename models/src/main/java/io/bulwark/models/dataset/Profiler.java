package io.bulwark.models.dataset;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles a dataset's features in bounded memory: a first pass (as rows are accepted) keeps counts, range, sums
 * and capped category frequencies; a second pass over the stored rows fills a 1,000-bin histogram per number, from
 * which the quantiles and the ten-bin histogram are read. Memory is per feature, never per row.
 */
final class Profiler {

    static final int MAX_CATEGORIES = 1000;
    static final int FINE_BINS = 1000;
    static final int BINS = 10;
    private static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    private final Map<String, Feature> features = new LinkedHashMap<>();

    /** One feature's running figures. */
    private static final class Feature {
        final boolean numeric;
        long count;
        long missing;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double sumSquares;
        final Map<String, Long> frequencies = new LinkedHashMap<>();
        long other;
        long[] fine;

        Feature(boolean numeric) {
            this.numeric = numeric;
        }
    }

    /** Returns the schema seen so far: each feature with its kind. */
    List<DatasetVersion.Column> columns() {
        List<DatasetVersion.Column> columns = new ArrayList<>();
        features.forEach((name, f) -> columns.add(new DatasetVersion.Column(name, f.numeric ? "number" : "category")));
        return columns;
    }

    /**
     * Counts one accepted row: {@code input} is the validated input as JSON, {@code raw} the row as read, whose
     * absent, null or blank fields count as missing.
     */
    void first(JsonNode input, Map<String, ?> raw) {
        for (var e : input.properties()) {
            JsonNode v = e.getValue();
            Feature f = features.computeIfAbsent(e.getKey(), k -> new Feature(v.isNumber()));
            f.count++;
            if (missing(raw.get(e.getKey()))) {
                f.missing++;
            }
            if (f.numeric && v.isNumber()) {
                double d = v.doubleValue();
                f.min = Math.min(f.min, d);
                f.max = Math.max(f.max, d);
                f.sum += d;
                f.sumSquares += d * d;
            } else if (!f.numeric) {
                String text = v.isString() ? v.stringValue() : v.toString();
                if (f.frequencies.containsKey(text) || f.frequencies.size() < MAX_CATEGORIES) {
                    f.frequencies.merge(text, 1L, Long::sum);
                } else {
                    f.other++;
                }
            }
        }
    }

    /** Counts one stored row again, into the fine histograms of the numbers. */
    void second(JsonNode input) {
        features.forEach((name, f) -> {
            JsonNode v = input.get(name);
            if (!f.numeric || v == null || !v.isNumber()) {
                return;
            }
            if (f.fine == null) {
                f.fine = new long[FINE_BINS];
            }
            f.fine[bin(v.doubleValue(), f.min, f.max, FINE_BINS)]++;
        });
    }

    Map<String, FeatureProfile> profiles() {
        Map<String, FeatureProfile> out = new LinkedHashMap<>();
        features.forEach((name, f) -> out.put(name, profile(f)));
        return out;
    }

    private static FeatureProfile profile(Feature f) {
        double missingRate = f.count == 0 ? 0 : round((double) f.missing / f.count);
        if (!f.numeric) {
            return new FeatureProfile("category", f.count, f.missing, missingRate, null, null, null, null, null, null,
                    new java.util.TreeMap<>(f.frequencies), f.other);
        }
        if (f.count == 0 || f.fine == null) {
            return new FeatureProfile("number", f.count, f.missing, missingRate, null, null, null, null, null, null,
                    null, null);
        }
        double mean = f.sum / f.count;
        double variance = Math.max(0, f.sumSquares / f.count - mean * mean);
        Map<String, Double> quantiles = new LinkedHashMap<>();
        for (double q : QUANTILES) {
            quantiles.put(String.format("p%02d", Math.round(q * 100)), round(quantile(f, q)));
        }
        List<Double> edges = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        double width = (f.max - f.min) / BINS;
        for (int b = 0; b <= BINS; b++) {
            edges.add(round(f.min + b * width));
        }
        for (int b = 0; b < BINS; b++) {
            long n = 0;
            for (int i = b * FINE_BINS / BINS; i < (b + 1) * FINE_BINS / BINS; i++) {
                n += f.fine[i];
            }
            counts.add(n);
        }
        return new FeatureProfile("number", f.count, f.missing, missingRate, f.min, f.max, round(mean),
                round(Math.sqrt(variance)), quantiles, new FeatureProfile.Histogram(edges, counts), null, null);
    }

    /** The value below which a share {@code q} of the values lie, interpolated inside its fine bin. */
    private static double quantile(Feature f, double q) {
        long n = 0;
        for (long c : f.fine) {
            n += c;
        }
        double rank = q * n;
        double width = (f.max - f.min) / FINE_BINS;
        long before = 0;
        for (int i = 0; i < FINE_BINS; i++) {
            if (f.fine[i] > 0 && before + f.fine[i] >= rank) {
                double within = (rank - before) / f.fine[i];
                return Math.min(f.max, Math.max(f.min, f.min + (i + within) * width));
            }
            before += f.fine[i];
        }
        return f.max;
    }

    static int bin(double value, double min, double max, int bins) {
        if (max <= min) {
            return 0;
        }
        int b = (int) ((value - min) / (max - min) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    private static boolean missing(Object raw) {
        if (raw == null) {
            return true;
        }
        if (raw instanceof JsonNode n) {
            return n.isNull() || n.isMissingNode() || n.isString() && n.stringValue().isBlank();
        }
        return raw.toString().isBlank();
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
