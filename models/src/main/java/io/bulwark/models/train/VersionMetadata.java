package io.bulwark.models.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.Map;

/**
 * Everything recorded beside a model version: its held-out metrics, its provenance and a summary of
 * the data it was trained on. Written once, as {@code metadata.json}, never changed.
 */
@JsonPropertyOrder({"algorithm", "hyperparameters", "metrics", "provenance", "data"})
public record VersionMetadata(String algorithm, Map<String, Object> hyperparameters, Metrics metrics,
                              Provenance provenance, DataSummary data) {

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

    /** The data the model saw: counts per species, rows dropped in cleaning, and each measurement's range. */
    @JsonPropertyOrder({"raw_rows", "dropped_rows", "train_rows", "test_rows", "train_species", "test_species",
            "features"})
    public record DataSummary(@JsonProperty("raw_rows") int rawRows, @JsonProperty("dropped_rows") int droppedRows,
                              @JsonProperty("train_rows") int trainRows, @JsonProperty("test_rows") int testRows,
                              @JsonProperty("train_species") Map<String, Integer> trainSpecies,
                              @JsonProperty("test_species") Map<String, Integer> testSpecies,
                              Map<String, FeatureSummary> features) {
    }

    /** A measurement's range and mean over the training rows. */
    public record FeatureSummary(double min, double max, double mean) {
    }
}
