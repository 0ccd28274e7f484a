package io.bulwark.models.drift;

import org.tribuo.Example;
import org.tribuo.Feature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The features drift watches, read off any model type's Tribuo example, so every model type gets drift without
 * code of its own: a feature named {@code name=value} with value 1 is the category {@code name} taking
 * {@code value} (one-hot, as the penguins' island and sex); any other feature is a number.
 */
public final class FeatureValues {

    private FeatureValues() {
    }

    /** Returns the example's features: a {@code Double} per number, a {@code String} per category. */
    public static Map<String, Object> of(Example<?> example) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature f : example) {
            String name = f.getName();
            int eq = name.indexOf('=');
            if (eq > 0 && f.getValue() == 1.0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else {
                values.put(name, f.getValue());
            }
        }
        return values;
    }
}
