package io.bulwark.models;

/**
 * A penguin with its known species: a row of training or evaluation data.
 */
public record LabelledPenguin(Penguin penguin, String species) {
}
