package io.bulwark.models.predictionlog;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An append-only record of predictions, shared by every function. Each {@link #append} of a file log is durable
 * against a crash of the process (kill -9) when it returns: a line written with one system call, or a committed
 * SQLite row. An append that fails throws {@link PredictionLogException} and leaves the log as it was. The
 * PostgreSQL log ({@link #postgres}) is the exception: an append queues the record and returns, a writer thread
 * commits it in a batch (then it is acknowledged), and a full queue drops it, counted. Thread-safe.
 */
public interface PredictionLog extends AutoCloseable {

    /** Appends one record, or throws {@link PredictionLogException} having written nothing. */
    void append(PredictionRecord record);

    /**
     * Appends {@code records} in order, with no other record between them; stops at the first that fails
     * ({@link PredictionLogException}; the ones before it stay written).
     */
    default void appendAll(List<PredictionRecord> records) {
        for (PredictionRecord r : records) {
            append(r);
        }
    }

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
     * How a file log is kept.
     *
     * @param sync         also force each append to the disk (survives power loss, not only a process crash; slower)
     * @param maxSizeBytes rotate a jsonl or csv file before a line would take it past this size; 0: never rotate
     * @param maxFiles     rotated files kept ({@code name.1} newest ... {@code name.<maxFiles>}); older ones are deleted
     */
    record Options(boolean sync, long maxSizeBytes, int maxFiles) {

        /** The default {@code max-size}: 100 MB. */
        public static final long DEFAULT_MAX_SIZE_BYTES = 100L * 1024 * 1024;
        /** The default {@code max-files}. */
        public static final int DEFAULT_MAX_FILES = 10;
        /** No sync, rotation at {@link #DEFAULT_MAX_SIZE_BYTES}, {@link #DEFAULT_MAX_FILES} files kept. */
        public static final Options DEFAULTS = new Options(false, DEFAULT_MAX_SIZE_BYTES, DEFAULT_MAX_FILES);

        public Options {
            if (maxSizeBytes < 0) {
                throw new IllegalArgumentException(
                        "bulwark.prediction-log.max-size must be 0 (no rotation) or more: " + maxSizeBytes);
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("bulwark.prediction-log.max-files must be 1 or more: " + maxFiles);
            }
        }

        boolean rotates() {
            return maxSizeBytes > 0;
        }
    }

    /**
     * Opens the log of a backend: {@code jsonl}, {@code csv}, {@code sqlite} or {@code none}. Rotation applies to
     * jsonl and csv; an SQLite log is one database that is never rotated.
     */
    static PredictionLog open(String backend, Path path, Options options, JsonMapper json) {
        return Backends.open(backend, path, options, json, AppendOnlyFile.Channels.REAL);
    }

    /** Opens the log of a backend with {@link Options#DEFAULTS} but for {@code sync}. */
    static PredictionLog open(String backend, Path path, boolean sync, JsonMapper json) {
        return open(backend, path, new Options(sync, Options.DEFAULT_MAX_SIZE_BYTES, Options.DEFAULT_MAX_FILES), json);
    }

    /**
     * Returns {@code log} telling {@code onFailure} of every failed append before the exception goes on to the
     * caller: where failures are counted.
     */
    static PredictionLog observed(PredictionLog log, Consumer<PredictionLogException> onFailure) {
        return new ObservedPredictionLog(Objects.requireNonNull(log, "log"),
                Objects.requireNonNull(onFailure, "onFailure"));
    }

    /**
     * Opens the PostgreSQL log ({@code bulwark.prediction-log.backend=postgres}): creates or migrates its tables when
     * the server answers (else at the writer's first connection), then starts its writer thread. Never throws for an
     * unreachable server: the failure goes to {@code events} and the writer retries.
     */
    static PredictionLog postgres(PostgresSettings settings, QueuedLogEvents events) {
        return new PostgresPredictionLog(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(events, "events"));
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
