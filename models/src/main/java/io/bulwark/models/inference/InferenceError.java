package io.bulwark.models.inference;

/** The protocol's error body, {@code {"error": "<what is wrong>"}}, with every refusal's status. */
public record InferenceError(String error) {
}
