package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.resilience.Ticker;
import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierBoundary;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.models.input.InputFormat;
import io.bulwark.models.input.Row;
import io.bulwark.models.input.RowReader;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code POST /predict_batch}: many rows (a JSON array, CSV rows, or XML row elements) → one result per
 * row, in order. A bad row gets its own {@code {"index": i, "error": {...}}} and the others are still predicted.
 * Beside {@code results}, {@code predictions} lists the labels alone, in row order, with {@code null} for a bad row:
 * the shape seed 001's clients read ({@code {"predictions": [...], "model_version": "v1"}}).
 *
 * <p>Rows stream: each is parsed, validated, predicted and written to the answer before the next is read,
 * so memory holds the request and answer bytes but never a list of rows or results. (The runtimes hand the
 * function the whole body and take the whole answer, so those bytes are in memory once each.) The rows' inputs and
 * answers are held for the prediction log, which gets them only once the whole answer is ready: a batch refused
 * part-way (413 beyond the row cap, 400 for a body that stops parsing) logs nothing.
 *
 * @param <I> the model type's input
 */
public final class PredictBatchFunction<I extends ModelInput> extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("predict_batch");

    private final ClassifierBoundary<I> boundary;
    private final ClassifierService<I> classifier;
    private final PredictionLogger predictions;
    private final Ticker ticker;
    private final int maxRows;

    public PredictBatchFunction(JsonMapper json, ClassifierBoundary<I> boundary, PredictionLogger predictions,
                                int maxRows, Ticker ticker) {
        super(json);
        this.boundary = boundary;
        this.classifier = boundary.classifier();
        this.predictions = predictions;
        this.ticker = ticker;
        this.maxRows = maxRows;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = ticker.read();
        ClassifierBoundary.Request selected = boundary.open(request.header(ClassifierService.VERSION_HEADER));
        InputFormat format = InputFormat.detect(request.header("Content-Type"), request.body());
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, request.body().length));
        int count = 0;
        int failed = 0;
        PredictionLogger.Batch logged = predictions.batch("predict_batch", request.requestId(), selected.version());
        List<Served<I>> served = new ArrayList<>();
        try (RowReader rows = RowReader.open(format, request.body(), true);
             JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("model_version", selected.version());
            g.writeName("results");
            g.writeStartArray();
            // The labels again, for the predictions list: references to the model's few label strings, one per row
            // (the row cap bounds them).
            List<String> labels = new ArrayList<>();
            for (Row row = rows.next(); row != null; row = rows.next()) {
                if (++count > maxRows) {
                    throw new RequestRejected(413, "too_many_rows", "body", "a batch takes at most " + maxRows
                            + " rows (bulwark.classifier.max-batch-rows)");
                }
                String label = writeRow(g, row, selected, logged, served);
                labels.add(label);
                if (label == null) {
                    failed++;
                }
            }
            g.writeEndArray();
            g.writeName("predictions");
            g.writeStartArray();
            for (String label : labels) {
                if (label == null) {
                    g.writeNull();
                } else {
                    g.writeString(label);
                }
            }
            g.writeEndArray();
            // Known only once every row is answered: a version may fail half-way through the batch.
            g.writeBooleanProperty("degraded", selected.degraded());
            if (selected.fallback() != null) {
                g.writeStringProperty("fallback", selected.fallback());
            }
            g.writeNumberProperty("count", count);
            g.writeNumberProperty("failed", failed);
            g.writeNumberProperty("latency_ms", (ticker.read() - start) / 1_000_000);
            g.writeStringProperty("request_id", request.requestId());
            g.writeEndObject();
        }
        if (count == 0) {
            throw new RequestRejected("missing_body", "body", "the batch holds no rows");
        }
        logged.answered();
        // Indexed for feedback only once the whole batch is answered, under the ids the log gives its rows.
        served.forEach(r -> classifier.feedback().served(request.requestId() + "#" + r.index(), r.version(),
                r.input(), r.answer()));
        return new RawJson(out.toByteArray());
    }

    /** A row's input and answer, for the feedback index. */
    private record Served<I>(int index, String version, I input, Answer answer) {
    }

    /** Writes one row's result; returns its prediction, or null when the row was bad. */
    private String writeRow(JsonGenerator g, Row row, ClassifierBoundary.Request selected,
                            PredictionLogger.Batch logged, List<Served<I>> served) {
        long start = ticker.read();
        g.writeStartObject();
        g.writeNumberProperty("index", row.index());
        try {
            if (row.error() != null) {
                throw row.error();
            }
            I input = classifier.type().input(row.values());
            ClassifierBoundary.Result result = selected.predict(input);
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
            if (!result.version().equals(selected.version())) {
                g.writeStringProperty("model_version", result.version());
            }
            if (result.degraded()) {
                g.writeBooleanProperty("degraded", true);
            }
            g.writeEndObject();
            logged.add(row.index(), result.version(), input, a, (ticker.read() - start) / 1e6);
            if (!result.degraded()) {
                served.add(new Served<>(row.index(), result.version(), input, a));
            }
            return a.prediction();
        } catch (RequestRejected e) {
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
            return null;
        }
    }
}
