package io.bulwark.models.predictionlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One prediction as the log keeps it.
 *
 * @param input      the input as JSON text, or null when inputs are redacted
 * @param inputHash  SHA-256 of the input's canonical text: lets redacted logs still match repeated inputs
 * @param output     the answer (a label, {@code uncertain}, or an error code)
 * @param confidence null when there is none (an error)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"timestamp", "request_id", "function", "model_version", "input", "input_hash", "output",
        "confidence", "latency_ms"})
public record PredictionRecord(Instant timestamp, @JsonProperty("request_id") String requestId, String function,
                               @JsonProperty("model_version") String modelVersion, String input,
                               @JsonProperty("input_hash") String inputHash, String output, Double confidence,
                               @JsonProperty("latency_ms") double latencyMs) {

    /** The column names, in order: the CSV header and the SQLite columns. */
    public static final String[] COLUMNS = {"timestamp", "request_id", "function", "model_version", "input",
            "input_hash", "output", "confidence", "latency_ms"};

    /** Returns the {@code input_hash} of an input's canonical text: the first 128 bits of its SHA-256, in hex. */
    public static String hashOf(String canonical) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the values in {@link #COLUMNS} order, as text (null stays null). */
    String[] values() {
        return new String[]{timestamp.toString(), requestId, function, modelVersion, input, inputHash, output,
                confidence == null ? null : confidence.toString(), Double.toString(latencyMs)};
    }
}
