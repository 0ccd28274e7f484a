package io.bulwark.models.pipeline;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One step of a {@link Pipeline}: what it is told (its spec) and, once fitted, what it learnt from the training
 * rows. A row is a map from a feature name to a {@code Double}, a {@code String} (a category) or nothing (missing);
 * {@link #apply} changes it in place. Adding a kind of step shows every {@code switch} that must learn it.
 */
sealed interface Step permits Step.Impute, Step.Scale, Step.OneHot, Step.Derive {

    /** The step's key in the JSON form: {@code impute}, {@code scale}, {@code one_hot}, {@code derive}. */
    String kind();

    /** True once the step holds what it learns at fit time (a step that learns nothing is always fitted). */
    boolean fitted();

    /** Returns the step fitted on {@code rows} (each already transformed by the steps before it). */
    Step fit(List<Map<String, Object>> rows, String field);

    /** Transforms {@code row} in place; the step must be fitted. */
    void apply(Map<String, Object> row);

    /** Writes the step's body (spec and, when fitted, what it learnt) into {@code body}. */
    void write(ObjectNode body);

    /** How {@link Impute} finds the value of a missing feature. */
    enum Strategy {
        MEAN, MEDIAN, MOST_FREQUENT, CONSTANT;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How {@link Scale} maps a number: {@code (x - offset) / scale}. */
    enum Method {
        /** offset the mean, scale the (population) standard deviation. */
        STANDARD,
        /** offset the minimum, scale the range: the training rows land in [0, 1]. */
        MINMAX;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Fills a missing value of {@code feature} with {@code value}: the training rows' mean, median or most frequent
     * value, or a constant given in the spec. Present values are left alone.
     *
     * @param value null until fitted (except a constant)
     */
    record Impute(String feature, Strategy strategy, Object value) implements Step {
        public String kind() {
            return "impute";
        }

        public boolean fitted() {
            return value != null;
        }

        public Step fit(List<Map<String, Object>> rows, String field) {
            if (strategy == Strategy.CONSTANT) {
                return this;
            }
            List<Object> present = rows.stream().map(r -> r.get(feature)).filter(v -> v != null).toList();
            if (present.isEmpty()) {
                throw new RequestRejected("invalid_value", field + ".feature", "no training row has a value of '"
                        + feature + "' to learn a " + strategy.wire() + " from");
            }
            return new Impute(feature, strategy, switch (strategy) {
                case MEAN -> present.stream().mapToDouble(v -> (Double) v).sum() / present.size();
                case MEDIAN -> median(present.stream().mapToDouble(v -> (Double) v).sorted().toArray());
                case MOST_FREQUENT -> mostFrequent(present);
                case CONSTANT -> value;
            });
        }

        public void apply(Map<String, Object> row) {
            if (row.get(feature) == null) {
                row.put(feature, value);
            }
        }

        public void write(ObjectNode body) {
            body.put("feature", feature);
            body.put("strategy", strategy.wire());
            if (value instanceof Double d) {
                body.put("value", d);
            } else if (value != null) {
                body.put("value", value.toString());
            }
        }

        private static double median(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** The most frequent value; a tie goes to the smallest, so the same rows always give the same value. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object mostFrequent(List<Object> values) {
            Map<Object, Integer> counts = new HashMap<>();
            values.forEach(v -> counts.merge(v, 1, Integer::sum));
            Object best = null;
            int most = 0;
            for (Object v : new TreeSet<>((List) values)) {
                if (counts.get(v) > most) {
                    best = v;
                    most = counts.get(v);
                }
            }
            return best;
        }
    }

    /**
     * Maps each of {@code features} to {@code (x - offset) / scale}, with offset and scale learnt from the training
     * rows ({@link Method}); a constant feature keeps scale 1. Missing values stay missing.
     *
     * @param statistics feature → {offset, scale}; empty until fitted
     */
    record Scale(List<String> features, Method method, Map<String, double[]> statistics) implements Step {
        public Scale {
            features = List.copyOf(features);
            statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        }

        public String kind() {
            return "scale";
        }

        public boolean fitted() {
            return statistics.keySet().containsAll(features);
        }

        public Step fit(List<Map<String, Object>> rows, String field) {
            Map<String, double[]> learnt = new LinkedHashMap<>();
            for (String f : features) {
                double[] xs = rows.stream().map(r -> r.get(f)).filter(v -> v instanceof Double)
                        .mapToDouble(v -> (Double) v).toArray();
                double offset = 0;
                double scale = 1;
                if (xs.length > 0 && method == Method.STANDARD) {
                    double mean = 0;
                    for (double x : xs) {
                        mean += x;
                    }
                    mean /= xs.length;
                    double ss = 0;
                    for (double x : xs) {
                        ss += (x - mean) * (x - mean);
                    }
                    offset = mean;
                    scale = Math.sqrt(ss / xs.length);
                } else if (xs.length > 0) {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (double x : xs) {
                        min = Math.min(min, x);
                        max = Math.max(max, x);
                    }
                    offset = min;
                    scale = max - min;
                }
                learnt.put(f, new double[]{offset, scale > 0 && Double.isFinite(scale) ? scale : 1});
            }
            return new Scale(features, method, learnt);
        }

        public void apply(Map<String, Object> row) {
            for (String f : features) {
                if (row.get(f) instanceof Double x) {
                    double[] os = statistics.get(f);
                    row.put(f, (x - os[0]) / os[1]);
                }
            }
        }

        public void write(ObjectNode body) {
            ArrayNode names = body.putArray("features");
            features.forEach(names::add);
            body.put("method", method.wire());
            if (!statistics.isEmpty()) {
                ObjectNode learnt = body.putObject("fitted");
                statistics.forEach((f, os) -> learnt.putObject(f).put("offset", os[0]).put("scale", os[1]));
            }
        }
    }

    /**
     * Replaces the category {@code feature} with one feature {@code feature=value} of value 1 for the row's category.
     * The categories are the training rows'; a category not seen in training, or a missing one, sets none.
     *
     * @param categories empty until fitted
     */
    record OneHot(String feature, List<String> categories, boolean learnt) implements Step {
        public OneHot {
            categories = List.copyOf(categories);
        }

        public String kind() {
            return "one_hot";
        }

        public boolean fitted() {
            return learnt;
        }

        public Step fit(List<Map<String, Object>> rows, String field) {
            TreeSet<String> seen = new TreeSet<>();
            rows.forEach(r -> {
                if (r.get(feature) instanceof String s) {
                    seen.add(s);
                }
            });
            return new OneHot(feature, new ArrayList<>(seen), true);
        }

        public void apply(Map<String, Object> row) {
            if (row.remove(feature) instanceof String s && categories.contains(s)) {
                row.put(feature + "=" + s, 1.0);
            }
        }

        public void write(ObjectNode body) {
            body.put("feature", feature);
            if (learnt) {
                ArrayNode seen = body.putArray("categories");
                categories.forEach(seen::add);
            }
        }
    }

    /** Adds the number {@code name} computed from the row by {@code expression} (see {@link Expression}). */
    record Derive(String name, Expression expression) implements Step {
        public String kind() {
            return "derive";
        }

        public boolean fitted() {
            return true;
        }

        public Step fit(List<Map<String, Object>> rows, String field) {
            return this;
        }

        public void apply(Map<String, Object> row) {
            Double v = expression.eval(row);
            if (v != null) {
                row.put(name, v);
            }
        }

        public void write(ObjectNode body) {
            body.put("name", name);
            body.put("expression", expression.toString());
        }
    }
}
