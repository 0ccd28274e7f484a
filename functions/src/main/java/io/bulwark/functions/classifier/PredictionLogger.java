package io.bulwark.functions.classifier;

import io.bulwark.models.Answer;
import io.bulwark.models.ModelInput;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionLogException;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes classifier predictions to the shared {@link PredictionLog}, redacting inputs when configured. A record the
 * log cannot keep costs a warning, not the answer (the log counts the failure) — unless the log is
 * {@code required}: then the request is refused with a 503 {@code prediction_log_unavailable}.
 */
public final class PredictionLogger {

    private static final Logger log = LoggerFactory.getLogger(PredictionLogger.class);

    private final PredictionLog predictions;
    private final boolean redactInputs;
    private final boolean required;
    private final Clock clock;

    public PredictionLogger(PredictionLog predictions, boolean redactInputs, boolean required, Clock clock) {
        this.predictions = predictions;
        this.redactInputs = redactInputs;
        this.required = required;
        this.clock = clock;
    }

    /** Appends the record of one answer (a row of no batch), under the request's id. */
    public void answered(String function, String requestId, String version, ModelInput input, Answer a,
                         double latencyMs) {
        keep(List.of(record(clock.instant(), function, requestId, version, input, a, latencyMs)), requestId);
    }

    /**
     * Appends the record of a feedback label: function {@code feedback} under the request id of the prediction it
     * labels (the join key), the version that answered, and the true label as its output.
     */
    void feedback(String predictionRequestId, String version, String label, double latencyMs) {
        keep(List.of(new PredictionRecord(clock.instant(), predictionRequestId, "feedback", version, null, null, label,
                null, latencyMs)), predictionRequestId);
    }

    /** Starts the records of one batch: kept by {@link Batch#answered()} once the whole answer is ready. */
    public Batch batch(String function, String requestId, String version) {
        return new Batch(function, requestId, version);
    }

    /**
     * The rows of one batch, held until the batch is answered: a batch refused half-way (too many rows, a body that
     * stops parsing) logs nothing. Holds the row's input and answer, not the encoded record (a few hundred bytes a
     * row at most; the row cap bounds the count).
     */
    public final class Batch {

        private record Row(int index, String version, ModelInput input, Answer answer, double latencyMs) {
        }

        private final String function;
        private final String requestId;
        private final String version;
        private final List<Row> rows = new ArrayList<>();

        private Batch(String function, String requestId, String version) {
            this.function = function;
            this.requestId = requestId;
            this.version = version;
        }

        /** Notes the answer of row {@code index}. */
        public void add(int index, ModelInput input, Answer a, double latencyMs) {
            add(index, version, input, a, latencyMs);
        }

        /** Notes the answer of row {@code index}, given by {@code answeredBy} (a fallback version) not the batch's. */
        public void add(int index, String answeredBy, ModelInput input, Answer a, double latencyMs) {
            if (predictions != PredictionLog.NONE) {
                rows.add(new Row(index, answeredBy, input, a, latencyMs));
            }
        }

        /** Appends every row's record (request id {@code <id>#<row>}), stamped with the time of the answer. */
        public void answered() {
            if (rows.isEmpty()) {
                return;
            }
            Instant at = clock.instant();
            keep(new AbstractList<>() {
                @Override
                public PredictionRecord get(int i) {
                    Row r = rows.get(i);
                    return record(at, function, requestId + "#" + r.index(), r.version(), r.input(), r.answer(),
                            r.latencyMs());
                }

                @Override
                public int size() {
                    return rows.size();
                }
            }, requestId);
        }
    }

    private PredictionRecord record(Instant at, String function, String requestId, String version, ModelInput input,
                                    Answer a, double latencyMs) {
        return new PredictionRecord(at, requestId, function, version, redactInputs ? null : input.json(),
                PredictionRecord.hashOf(input.canonical()), a.prediction(), a.confidence(), latencyMs);
    }

    private void keep(List<PredictionRecord> records, String requestId) {
        try {
            predictions.appendAll(records);
        } catch (PredictionLogException e) {
            if (required) {
                throw new RequestRejected(503, "prediction_log_unavailable", null, "the prediction could not be"
                        + " recorded in the prediction log, which is required (bulwark.prediction-log.required);"
                        + " try again later");
            }
            log.warn("request {}: the prediction log refused the answer ({}); answered all the same", requestId,
                    e.getMessage());
        }
    }
}
