package io.bulwark.models.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.Map;

/**
 * Everything recorded beside a model version: its held-out metrics, its provenance and a summary of
 * the data it was trained on. Written once, as {@code metadata.json}, never changed.
 *
 * @param data   what the model type records about the data ({@link TrainingData#summary}); read back as a map
 * @param origin why the version was trained, when not by a plain {@code /train}: e.g. the tuning run that chose its
 *               hyperparameters, with its trial table; null otherwise (and left out of the file). Read back as a map
 */
@JsonPropertyOrder({"algorithm", "hyperparameters", "metrics", "provenance", "data", "origin"})
public record VersionMetadata(String algorithm, Map<String, Object> hyperparameters, Metrics metrics,
                              Provenance provenance, Object data,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Object origin) {

    /** Where the model came from. */
    @JsonPropertyOrder({"created_at", "data_source", "data_sha256", "seed", "split_seed", "test_fraction", "library",
            "java_version", "training_ms"})
    public record Provenance(@JsonProperty("created_at") Instant createdAt,
                             @JsonProperty("data_source") String dataSource,
                             @JsonProperty("data_sha256") String dataSha256, long seed,
                             @JsonProperty("split_seed") long splitSeed,
                             @JsonProperty("test_fraction") double testFraction, String library,
                             @JsonProperty("java_version") String javaVersion,
                             @JsonProperty("training_ms") long trainingMs) {
    }
}
