package io.bulwark.models.train;

import java.util.Objects;

/**
 * An input with its known label: a row of training or evaluation data.
 *
 * @param <I> the input
 */
public record Labelled<I>(I input, String label) {

    public Labelled {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(label, "label");
    }
}
