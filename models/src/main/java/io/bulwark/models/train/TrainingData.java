package io.bulwark.models.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled data a model type learns from, with what a version's provenance records about it.
 *
 * @param <I> the input
 */
public interface TrainingData<I> {

    /** Returns the rows, in a stable order (the split depends on it). */
    List<Labelled<I>> rows();

    /** Returns where the data came from, e.g. a class-path resource and the package it was taken from. */
    String source();

    /** Returns the SHA-256 of the data's bytes, in hex. */
    String sha256();

    /**
     * Returns the training and held-out rows of a version; by default {@link Split#stratified stratified} by
     * label, so every label is held out in proportion.
     */
    default Split<I> split(double testFraction, long seed) {
        return Split.stratified(rows(), testFraction, seed);
    }

    /**
     * Returns what a version's {@code metadata.json} records about the data it saw (its {@code data} object,
     * written with Jackson); by default the rows on each side of the split and their count per label.
     */
    default Object summary(Split<I> split) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("train_rows", split.train().size());
        summary.put("test_rows", split.test().size());
        summary.put("train_labels", Split.countByLabel(split.train()));
        summary.put("test_labels", Split.countByLabel(split.test()));
        return summary;
    }
}
