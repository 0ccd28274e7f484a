package io.bulwark.models.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The training features of one version, feature by feature ({@link FeatureProfile}): the reference its served
 * inputs are compared with. Saved beside the model as {@code profile.json}.
 *
 * @param rows     the training rows it was made from
 * @param features by name, in the order the first row gave them
 */
public record ReferenceProfile(int rows, Map<String, FeatureProfile> features) {

    public ReferenceProfile {
        features = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /**
     * Returns the profile of rows as {@link FeatureValues} gives them. A feature is a category if any row gives it a
     * text value; a row without a category's value counts as {@link FeatureProfile.Categorical#MISSING}, a row
     * without a number as 0 (sparse examples leave zeros out).
     */
    public static ReferenceProfile of(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a reference profile needs at least one row");
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> categorical = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            row.forEach((k, v) -> {
                names.add(k);
                if (v instanceof String) {
                    categorical.add(k);
                }
            });
        }
        Map<String, FeatureProfile> features = new LinkedHashMap<>();
        for (String name : names) {
            if (categorical.contains(name)) {
                Map<String, Long> counts = new TreeMap<>();
                rows.forEach(r -> counts.merge(category(r.get(name)), 1L, Long::sum));
                features.put(name, new FeatureProfile.Categorical(rows.size(), counts));
            } else {
                double[] values = new double[rows.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = number(rows.get(i).get(name));
                }
                features.put(name, FeatureProfile.Numeric.of(values));
            }
        }
        return new ReferenceProfile(rows.size(), features);
    }

    /** Returns the names of the features, in order. */
    public List<String> names() {
        return new ArrayList<>(features.keySet());
    }

    static String category(Object value) {
        return value == null ? FeatureProfile.Categorical.MISSING : value.toString();
    }

    static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
