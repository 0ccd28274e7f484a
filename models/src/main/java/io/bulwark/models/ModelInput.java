package io.bulwark.models;

/**
 * One validated input of a {@link ModelType}: what a version predicts from, what the exact cache keys and what
 * the prediction log records.
 */
public interface ModelInput {

    /** Returns a canonical text of the input: equal inputs give equal text (the cache key and the log's hash). */
    String canonical();

    /** Returns the input as compact JSON, as the prediction log records it. */
    String json();
}
