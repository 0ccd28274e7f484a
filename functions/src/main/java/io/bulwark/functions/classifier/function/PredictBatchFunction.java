package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.Answer;
import io.bulwark.functions.classifier.ClassifierService;
import io.bulwark.functions.classifier.InvalidInput;
import io.bulwark.functions.classifier.Penguin;
import io.bulwark.functions.classifier.PenguinValidator;
import io.bulwark.functions.classifier.input.InputFormat;
import io.bulwark.functions.classifier.input.Row;
import io.bulwark.functions.classifier.input.RowReader;
import org.springframework.messaging.Message;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.util.TreeMap;

/**
 * {@code POST /predict_batch}: many penguins (a JSON array, CSV rows, or XML row elements) → one result per
 * row, in order. A bad row gets its own {@code {"index": i, "error": {...}}} and the others are still predicted.
 *
 * <p>Rows stream: each is parsed, validated, predicted and written to the answer before the next is read,
 * so memory holds the request and answer bytes but never a list of rows or results. (The runtimes hand the
 * function the whole body and take the whole answer, so those bytes are in memory once each.)
 */
public final class PredictBatchFunction extends ClassifierFunction {

    private final ClassifierService classifier;
    private final PredictionLogger predictions;
    private final int maxRows;

    public PredictBatchFunction(JsonMapper json, ClassifierService classifier, PredictionLogger predictions,
                                int maxRows) {
        super("predict_batch", json);
        this.classifier = classifier;
        this.predictions = predictions;
        this.maxRows = maxRows;
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        Object header = header(request, ClassifierService.VERSION_HEADER);
        ClassifierService.Selected selected = classifier.select(header == null ? null : header.toString());
        InputFormat format = InputFormat.detect(contentType(request), request.getPayload());
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, request.getPayload().length));
        int count = 0;
        int failed = 0;
        try (RowReader rows = RowReader.open(format, request.getPayload(), true);
             JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("model_version", selected.version());
            if (selected.fallback() != null) {
                g.writeStringProperty("fallback", selected.fallback());
            }
            g.writeName("results");
            g.writeStartArray();
            for (Row row = rows.next(); row != null; row = rows.next()) {
                if (++count > maxRows) {
                    throw new InvalidInput(413, "too_many_rows", "body", "a batch takes at most " + maxRows
                            + " rows (bulwark.classifier.max-batch-rows)");
                }
                if (!writeRow(g, row, selected, call)) {
                    failed++;
                }
            }
            g.writeEndArray();
            g.writeNumberProperty("count", count);
            g.writeNumberProperty("failed", failed);
            g.writeNumberProperty("latency_ms", call.elapsedMillis());
            g.writeStringProperty("request_id", call.requestId());
            g.writeEndObject();
        }
        if (count == 0) {
            throw new InvalidInput("missing_body", "body", "the batch holds no rows");
        }
        return new RawJson(out.toByteArray());
    }

    /** Writes one row's result; returns false when the row was bad. */
    private boolean writeRow(JsonGenerator g, Row row, ClassifierService.Selected selected, Call call) {
        long start = System.nanoTime();
        g.writeStartObject();
        g.writeNumberProperty("index", row.index());
        try {
            if (row.error() != null) {
                throw row.error();
            }
            Penguin penguin = PenguinValidator.validate(row.values());
            ClassifierService.Cached result = classifier.predict(selected, penguin);
            Answer a = result.answer();
            g.writeStringProperty("prediction", a.prediction());
            if (a.bestGuess() != null) {
                g.writeStringProperty("best_guess", a.bestGuess());
            }
            g.writeNumberProperty("confidence", a.confidence());
            g.writeName("probabilities");
            g.writeStartObject();
            for (var e : new TreeMap<>(a.probabilities()).entrySet()) {
                g.writeNumberProperty(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeBooleanProperty("cached", result.cached());
            g.writeEndObject();
            predictions.answered("predict_batch", call.requestId() + "#" + row.index(), selected.version(), penguin, a,
                    (System.nanoTime() - start) / 1e6);
            return true;
        } catch (InvalidInput e) {
            if (e.status() != 400) {
                throw e;
            }
            g.writeName("error");
            g.writeStartObject();
            g.writeStringProperty("error", e.code());
            g.writeStringProperty("message", e.getMessage());
            g.writeStringProperty("field", e.field());
            g.writeEndObject();
            g.writeEndObject();
            return false;
        }
    }
}
