package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.models.dataset.DatasetStore;
import io.bulwark.models.train.Labelled;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /evaluate}: measures a version without training it. {@code {"version": "v3", "rows": [{..., "species":
 * "Adelie"}, ...]}} measures on labelled rows given inline; {@code {"version": "v3", "dataset": "ds-..."}} on every
 * row of a dataset version; {@code {"version": "v3"}} on the held-out rows every version is measured on. The answer holds accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix
 * and the calibration (expected calibration error and its bins). Every field is optional ({@code version}: the
 * promoted one).
 *
 * @param <I> the model type's input
 */
public final class EvaluateFunction<I extends ModelInput> extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("evaluate");

    private static final List<String> FIELDS = List.of("version", "rows", "dataset");

    private final ClassifierService<I> classifier;
    private final DatasetStore<I> datasets;
    private final int maxRows;

    public EvaluateFunction(JsonMapper json, ClassifierService<I> classifier, DatasetStore<I> datasets, int maxRows) {
        super(json);
        this.classifier = classifier;
        this.datasets = datasets;
        this.maxRows = maxRows;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        JsonNode body = optionalJsonObject(request, FIELDS);
        String version = null;
        JsonNode v = body.get("version");
        if (v != null && !v.isNull()) {
            if (!v.isString()) {
                throw new RequestRejected("invalid_type", "version", "\"version\" must be a string like v1");
            }
            version = v.stringValue();
        }
        JsonNode rows = body.get("rows");
        JsonNode dataset = body.get("dataset");
        if (dataset != null && !dataset.isNull()) {
            if (rows != null && !rows.isNull()) {
                throw new RequestRejected("invalid_value", "dataset", "give \"rows\" or \"dataset\", not both");
            }
            if (!dataset.isString()) {
                throw new RequestRejected("invalid_type", "dataset", "\"dataset\" must be a dataset id (a string)");
            }
            String id = dataset.stringValue().strip();
            List<Labelled<I>> stored = datasets.rows(id, "dataset");
            return classifier.evaluate(version, stored, "dataset " + id + " (" + stored.size() + " rows)",
                    i -> "dataset");
        }
        if (rows == null || rows.isNull()) {
            List<Labelled<I>> heldOut = classifier.heldOut();
            return classifier.evaluate(version, heldOut, "the " + heldOut.size()
                    + " held-out rows of the bundled data every version is measured on", i -> "rows");
        }
        String labelField = classifier.type().labelField();
        return classifier.evaluate(version, labelled(rows), rows.size() + " labelled rows given in the request",
                i -> "rows[" + i + "]." + labelField);
    }

    /** Returns the rows as labelled inputs, or throws the 400 naming the row and field at fault. */
    private List<Labelled<I>> labelled(JsonNode rows) {
        if (!rows.isArray()) {
            throw new RequestRejected("invalid_type", "rows", "\"rows\" must be an array of labelled rows, not "
                    + kind(rows));
        }
        if (rows.isEmpty()) {
            throw new RequestRejected("empty_field", "rows", "\"rows\" must hold at least one labelled row");
        }
        if (rows.size() > maxRows) {
            throw new RequestRejected(413, "too_many_rows", "rows", "/evaluate takes at most " + maxRows
                    + " rows (bulwark.classifier.max-batch-rows)");
        }
        List<Labelled<I>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            if (!row.isObject()) {
                throw new RequestRejected("invalid_type", "rows[" + i + "]", "row " + i + " must be an object, not "
                        + kind(row));
            }
            Map<String, JsonNode> fields = new HashMap<>();
            row.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
            try {
                out.add(classifier.type().labelled(fields));
            } catch (RequestRejected e) {
                throw new RequestRejected(e.status(), e.code(), "rows[" + i + "]." + e.field(), "row " + i + ": "
                        + e.getMessage());
            }
        }
        return out;
    }
}
