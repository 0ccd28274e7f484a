package io.bulwark.models.predictionlog;

import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.Locale;

/** Opens a backend's log; tests pass their own {@link AppendOnlyFile.Channels}. */
final class Backends {

    private Backends() {
    }

    static PredictionLog open(String backend, Path path, PredictionLog.Options options, JsonMapper json,
                              AppendOnlyFile.Channels channels) {
        return switch (backend.strip().toLowerCase(Locale.ROOT)) {
            case "jsonl" -> new JsonlPredictionLog(path, options, json, channels);
            case "csv" -> new CsvPredictionLog(path, options, channels);
            case "sqlite" -> new SqlitePredictionLog(path, options.sync());
            case "none" -> PredictionLog.NONE;
            case "postgres" -> throw new IllegalArgumentException("the postgres backend is opened by"
                    + " PredictionLog.postgres, from bulwark.prediction-log.postgres.*, not from a file path");
            default -> throw new IllegalArgumentException(
                    "bulwark.prediction-log.backend must be jsonl, csv, sqlite, postgres or none: " + backend);
        };
    }
}
