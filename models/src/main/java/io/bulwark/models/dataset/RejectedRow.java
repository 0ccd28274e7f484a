package io.bulwark.models.dataset;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import tools.jackson.databind.JsonNode;

/**
 * A row an ingest refused, and why: the same code, field and message a {@code /predict} of that row would answer.
 *
 * @param index the row's number in the source, from 0
 * @param row   the row as read (its fields), or null when it could not be read as a row at all
 */
@JsonPropertyOrder({"index", "error", "field", "message", "row"})
public record RejectedRow(long index, String error, String field, String message, JsonNode row) {

    public RejectedRow {
        row = row == null || row.isNull() || row.isMissingNode() ? null : row; // as written, when read back
    }
}
