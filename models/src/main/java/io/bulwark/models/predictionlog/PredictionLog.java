package io.bulwark.models.predictionlog;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.Locale;

/**
 * An append-only record of predictions, shared by every function. Each {@link #append} is durable against a
 * crash of the process (kill -9) when it returns: a line written with one system call, or a committed SQLite
 * row. Thread-safe.
 */
public interface PredictionLog extends AutoCloseable {

    /** Appends one record. */
    void append(PredictionRecord record);

    @Override
    void close();

    /** The log that keeps nothing. */
    PredictionLog NONE = new PredictionLog() {
        @Override
        public void append(PredictionRecord record) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Opens the log of a backend: {@code jsonl}, {@code csv}, {@code sqlite} or {@code none}.
     *
     * @param sync also force each append to the disk (survives power loss, not only a process crash; slower)
     */
    static PredictionLog open(String backend, Path path, boolean sync, JsonMapper json) {
        return switch (backend.strip().toLowerCase(Locale.ROOT)) {
            case "jsonl" -> new JsonlPredictionLog(path, sync, json);
            case "csv" -> new CsvPredictionLog(path, sync);
            case "sqlite" -> new SqlitePredictionLog(path, sync);
            case "none" -> NONE;
            default -> throw new IllegalArgumentException(
                    "bulwark.prediction-log.backend must be jsonl, csv, sqlite or none: " + backend);
        };
    }

    /** Returns the default file name of a backend. */
    static String defaultFileName(String backend) {
        return switch (backend.strip().toLowerCase(Locale.ROOT)) {
            case "csv" -> "predictions.csv";
            case "sqlite" -> "predictions.db";
            default -> "predictions.jsonl";
        };
    }
}
