package io.bulwark.models.train;

import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A training algorithm a model type offers, selectable by name: its hyperparameters with their defaults and
 * ranges, and how it makes a Tribuo trainer from their values and a seed.
 *
 * @param name            the name on the wire, lower case, e.g. {@code random_forest}
 * @param hyperparameters in the order answers list them
 * @param factory         makes the trainer; it receives every hyperparameter, {@link #resolve resolved}
 */
public record Algorithm(String name, List<Hyperparameter> hyperparameters, Factory factory) {

    /** Makes a Tribuo trainer from resolved hyperparameters and the seed of its random choices. */
    @FunctionalInterface
    public interface Factory {
        Trainer<Label> trainer(Map<String, Object> hyperparameters, long seed);
    }

    public Algorithm {
        Objects.requireNonNull(factory, "factory");
        if (!name.equals(name.toLowerCase(Locale.ROOT)) || name.isBlank()) {
            throw new IllegalArgumentException("an algorithm's name is lower case and not blank: '" + name + "'");
        }
        hyperparameters = List.copyOf(hyperparameters);
        if (new HashSet<>(hyperparameters.stream().map(Hyperparameter::name).toList()).size() != hyperparameters.size()) {
            throw new IllegalArgumentException(name + " names a hyperparameter twice: " + hyperparameters);
        }
    }

    /** Returns the algorithms' names, for messages. */
    public static String names(List<Algorithm> offered) {
        return offered.stream().map(Algorithm::name).collect(Collectors.joining(", "));
    }

    /**
     * Returns the algorithm of {@code offered} named {@code name} (any case, surrounding white space ignored), or
     * throws the {@link RequestRejected} naming the {@code algorithm} field.
     */
    public static Algorithm parse(List<Algorithm> offered, String name) {
        for (Algorithm a : offered) {
            if (a.name.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new RequestRejected("invalid_value", "algorithm",
                "\"algorithm\" must be one of " + names(offered) + ", not '" + name + "'");
    }

    /**
     * Returns every hyperparameter of this algorithm, the given ones checked and the others at their
     * defaults, in a stable order; throws {@link RequestRejected} for an unknown name, a wrong type or a value
     * out of range.
     */
    public Map<String, Object> resolve(Map<String, ?> given) {
        for (String key : given.keySet()) {
            if (hyperparameters.stream().noneMatch(h -> h.name().equals(key))) {
                throw new RequestRejected("unknown_hyperparameter", "hyperparameters." + key, "'" + key
                        + "' is not a hyperparameter of " + name + "; it takes " + hyperparameters.stream()
                        .map(Hyperparameter::name).collect(Collectors.joining(", ")));
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (Hyperparameter h : hyperparameters) {
            Object value = given.get(h.name());
            resolved.put(h.name(), value == null ? h.defaultValue() : h.check(value));
        }
        return resolved;
    }

    /** Returns the trainer for resolved hyperparameters. */
    Trainer<Label> trainer(Map<String, Object> resolved, long seed) {
        return factory.trainer(resolved, seed);
    }
}
