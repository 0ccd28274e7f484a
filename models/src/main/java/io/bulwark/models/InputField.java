package io.bulwark.models;

import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link ModelType}'s input row, as clients are told about it: its name, whether its values are text
 * or numbers, its shape (none for one value; {@code [28, 28]} for a grid), and whether a row must hold it. The type's
 * own {@link ModelType#input} still checks every value; this is the schema the protocols publish (the Open Inference
 * Protocol's model metadata, where a field is an input tensor of the same name).
 *
 * @param shapes   the shapes a value may take, the first as published: {@code []} for one value (which a tensor
 *                 may also give as {@code [1]}); at least one
 * @param required false when a row may leave the field out
 */
public record InputField(String name, Kind kind, List<List<Integer>> shapes, boolean required) {

    /** What each value of the field is. */
    public enum Kind {
        /** A string, e.g. a category ({@code "Biscoe"}). */
        TEXT,
        /** A number, e.g. a measurement or a pixel. */
        NUMBER
    }

    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        shapes = shapes.stream().map(List::copyOf).toList();
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("field " + name + " has no shape");
        }
        for (List<Integer> s : shapes) {
            if (s.stream().anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("field " + name + ": a dimension must be at least 1: " + s);
            }
        }
    }

    /** A field holding one string. */
    public static InputField text(String name, boolean required) {
        return new InputField(name, Kind.TEXT, List.of(List.of()), required);
    }

    /** A field holding one number. */
    public static InputField number(String name, boolean required) {
        return new InputField(name, Kind.NUMBER, List.of(List.of()), required);
    }

    /** A required field holding an array of numbers of one of {@code shapes} (nested arrays, row-major). */
    @SafeVarargs
    public static InputField numbers(String name, List<Integer>... shapes) {
        return new InputField(name, Kind.NUMBER, List.of(shapes), true);
    }

    /** True when the field holds one value, not an array. */
    public boolean scalar() {
        return shapes.getFirst().isEmpty();
    }
}
