package io.bulwark.models.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a dataset, as its {@code metadata.json} records it: where the rows came from, the SHA-256
 * of the accepted rows as stored, the schema, the counts, the labels, and a profile of every feature.
 *
 * @param id           {@code ds-} and 16 hex digits of the hash of the stored rows and rejected-rows report: the same
 *                     content gives the same id
 * @param source       what was read: {@code type} (upload, jdbc, http) and its details (format, connection and query,
 *                     URL); never a credential
 * @param sha256       the SHA-256 of {@code rows.jsonl}, the accepted rows as stored (one JSON object a line)
 * @param labelField   the field holding each row's label
 * @param schema       the fields of a stored row, in order, with their kind ({@code number}, {@code category},
 *                     {@code label})
 * @param rows         rows accepted
 * @param rejectedRows rows refused, each with its reason in the rejected-rows report
 * @param labels       accepted rows per label
 * @param profile      per feature: counts, missing rate, and quantiles and a histogram (numbers) or frequencies
 *                     (categories)
 */
@JsonPropertyOrder({"id", "created_at", "source", "sha256", "label_field", "schema", "rows", "rejected_rows", "labels",
        "profile"})
public record DatasetVersion(String id, @JsonProperty("created_at") Instant createdAt, Map<String, Object> source,
                             String sha256, @JsonProperty("label_field") String labelField, List<Column> schema,
                             long rows, @JsonProperty("rejected_rows") long rejectedRows, Map<String, Long> labels,
                             Map<String, FeatureProfile> profile) {

    /** A field of the stored rows and its kind: {@code number}, {@code category} or {@code label}. */
    public record Column(String name, String type) {
    }
}
