package io.bulwark.models.inference;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.InputField;
import io.bulwark.models.ModelInput;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Open Inference Protocol (KServe/Triton "V2" REST) over Bulwark's models ({@link InferenceModel}), one per
 * {@link io.bulwark.models.ModelType}, each named by {@link io.bulwark.models.ModelType#name()}: server and model
 * metadata, readiness, and inference from named input tensors to the outputs {@value #LABEL} (BYTES {@code [N]}: the
 * label as {@code /predict} answers it, {@code uncertain} below the confidence threshold) and {@value #PROBABILITIES}
 * (FP32 {@code [N, classes]}, the classes in the order of the tensor's {@code labels} parameter). Inference goes
 * the model's own path ({@link InferenceModel#of(ClassifierService)}: the same {@link ClassifierService} as
 * {@code /predict}, with its version selection, exact cache and answers; the digit recogniser: the same
 * {@code DigitService} as {@code /digits}, with its variants, bulkhead and fallbacks), after the type's own
 * validation ({@link io.bulwark.models.ModelType#input}).
 * <p>
 * Refusals are {@link RequestRejected}s, as everywhere: 404 for an unknown model or version, 400 naming the input
 * for a tensor that does not fit, 413 for a batch over the row cap; the edge writes them in the protocol's
 * {@code {"error": "..."}} form. Plain Java; thread-safe.
 */
public final class InferenceProtocol {

    /** The output holding each row's label. */
    public static final String LABEL = "label";
    /** The output holding each row's probability per class. */
    public static final String PROBABILITIES = "probabilities";
    /** The parameter of {@value #PROBABILITIES} naming its columns' classes, comma-separated. */
    public static final String LABELS_PARAMETER = "labels";
    private static final List<String> OUTPUTS = List.of(LABEL, PROBABILITIES);

    private final Map<String, InferenceModel<?>> models;
    private final ServerMetadata server;
    private final int maxRows;

    /**
     * @param classifiers the served models, each under its type's name
     * @param version     the server's version, as {@code GET /v2} tells it
     * @param maxRows     the most rows one inference request may hold
     * @throws IllegalArgumentException when two model types share a name
     */
    public InferenceProtocol(List<? extends InferenceModel<?>> classifiers, String version, int maxRows) {
        Map<String, InferenceModel<?>> byName = new LinkedHashMap<>();
        for (InferenceModel<?> c : classifiers) {
            if (byName.putIfAbsent(c.type().name(), c) != null) {
                throw new IllegalArgumentException("two model types are named " + c.type().name());
            }
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
        }
        this.models = Map.copyOf(byName);
        this.server = new ServerMetadata("bulwark", Objects.requireNonNull(version, "version"), List.of());
        this.maxRows = maxRows;
    }

    /** Returns the answer of {@code GET /v2}. */
    public ServerMetadata server() {
        return server;
    }

    /** Returns the names of the served models, sorted. */
    public List<String> modelNames() {
        return models.keySet().stream().sorted().toList();
    }

    /**
     * Checks that every model can answer with the version it serves by default.
     *
     * @throws RequestRejected 400 {@code not_ready} naming the first model that cannot (the protocol's "4xx is
     *                         false")
     */
    public void serverReady() {
        for (String name : modelNames()) {
            modelReady(name, null);
        }
    }

    /**
     * Checks that a model can answer with {@code version} (null: the version it serves by default) itself, not a
     * fallback.
     *
     * @throws RequestRejected 404 for an unknown model or version, 400 {@code not_ready} when it cannot be loaded
     */
    public void modelReady(String name, String version) {
        InferenceModel<?> model = model(name);
        InferenceModel.Selected selected;
        try {
            selected = model.select(existing(name, model, version));
        } catch (RequestRejected e) {
            if (e.status() != 503) {
                throw e;
            }
            throw notReady(name, version, e.getMessage());
        }
        if (selected.fallback() != null) {
            throw notReady(name, version, selected.fallback());
        }
    }

    private static RequestRejected notReady(String name, String version, String why) {
        return new RequestRejected(400, "not_ready", version == null ? "name" : "version", "model " + name
                + (version == null ? "" : " version " + version) + " is not ready: " + why);
    }

    /**
     * Returns a model's metadata: its versions, its inputs (its type's {@link io.bulwark.models.ModelType#fields()},
     * each a tensor of {@code [-1]} rows and the field's first shape) and its two outputs.
     *
     * @param version null for the version served by default; else it must exist (404)
     */
    public ModelMetadata metadata(String name, String version) {
        InferenceModel<?> model = model(name);
        InferenceModel.Selected selected = model.select(existing(name, model, version));
        List<MetadataTensor> inputs = new ArrayList<>();
        for (InputField f : model.type().fields()) {
            List<Long> shape = new ArrayList<>();
            shape.add(-1L);
            f.shapes().getFirst().forEach(d -> shape.add(d.longValue()));
            inputs.add(new MetadataTensor(f.name(), Datatype.published(f.kind()).name(), List.copyOf(shape),
                    f.required() ? Map.of() : Map.of("optional", true)));
        }
        List<String> labels = model.labels(selected);
        List<MetadataTensor> outputs = List.of(
                new MetadataTensor(LABEL, Datatype.BYTES.name(), List.of(-1L), Map.of()),
                new MetadataTensor(PROBABILITIES, Datatype.FP32.name(), List.of(-1L, (long) labels.size()),
                        Map.of(LABELS_PARAMETER, String.join(",", labels))));
        return new ModelMetadata(name, model.versions(), model.platform(), List.copyOf(inputs), outputs);
    }

    /** One answered row, for the prediction log. */
    public record Row(ModelInput input, Answer answer, boolean cached) {
    }

    /** The answer of an inference and its rows. */
    public record Inference(InferenceResponse response, String version, List<Row> rows) {
    }

    /**
     * Answers an inference request.
     *
     * @param version         the version in the path, or null
     * @param headerVersion   the {@code X-Model-Version} header, used when the path names no version (as for
     *                        {@code /predict}), or null
     * @param body            the request's JSON object
     * @param requestId       the request's id, answered as {@code id} when the request has none
     */
    public Inference infer(String name, String version, String headerVersion, JsonNode body, String requestId) {
        InferenceModel<?> model = model(name);
        InferenceRequest request = InferenceRequest.parse(body);
        for (String output : request.outputs()) {
            if (!OUTPUTS.contains(output)) {
                throw new RequestRejected("unknown_output", "outputs", "model " + name + " has no output '"
                        + InferenceRequest.clip(output) + "'; its outputs: " + String.join(", ", OUTPUTS));
            }
        }
        long rows = request.inputs().getFirst().rows();
        if (rows > maxRows) {
            throw new RequestRejected(413, "too_many_rows", request.inputs().getFirst().name(), "a request takes at"
                    + " most " + maxRows + " rows (bulwark.classifier.max-batch-rows), not " + rows);
        }
        return run(name, model, version != null ? existing(name, model, version) : headerVersion, request, requestId);
    }

    private <I extends ModelInput> Inference run(String name, InferenceModel<I> model, String version,
                                                 InferenceRequest request, String requestId) {
        List<Map<String, JsonNode>> rows = TensorRows.rows(name, model.type().fields(), request.inputs());
        List<I> inputs = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                inputs.add(model.type().input(rows.get(i)));
            } catch (RequestRejected e) {
                String where = (e.field() != null ? "input '" + e.field() + "'" : "the inputs")
                        + (rows.size() > 1 ? ", row " + i : "");
                throw new RequestRejected(e.status(), e.code(), e.field(), where + ": " + e.getMessage());
            }
        }
        InferenceModel.Selected selected = model.select(version);
        List<String> labels = model.labels(selected);
        List<Row> answered = new ArrayList<>(inputs.size());
        List<String> predictions = new ArrayList<>(inputs.size());
        List<Double> probabilities = new ArrayList<>(inputs.size() * labels.size());
        List<InferenceModel.Predicted> predicted = model.predict(selected, inputs);
        for (int i = 0; i < inputs.size(); i++) {
            InferenceModel.Predicted c = predicted.get(i);
            answered.add(new Row(inputs.get(i), c.answer(), c.cached()));
            predictions.add(c.answer().prediction());
            for (String label : labels) {
                probabilities.add(c.answer().probabilities().getOrDefault(label, 0.0));
            }
        }
        long n = inputs.size();
        List<OutputTensor> outputs = new ArrayList<>();
        if (request.outputs().isEmpty() || request.outputs().contains(LABEL)) {
            outputs.add(new OutputTensor(LABEL, Datatype.BYTES.name(), List.of(n), Map.of(), predictions));
        }
        if (request.outputs().isEmpty() || request.outputs().contains(PROBABILITIES)) {
            outputs.add(new OutputTensor(PROBABILITIES, Datatype.FP32.name(), List.of(n, (long) labels.size()),
                    Map.of(LABELS_PARAMETER, String.join(",", labels)), probabilities));
        }
        Map<String, Object> parameters = selected.fallback() == null ? Map.of()
                : Map.of("fallback", selected.fallback());
        InferenceResponse response = new InferenceResponse(name, selected.version(),
                request.id() != null ? request.id() : requestId, parameters, List.copyOf(outputs));
        return new Inference(response, selected.version(), List.copyOf(answered));
    }

    private InferenceModel<?> model(String name) {
        InferenceModel<?> model = models.get(name);
        if (model == null) {
            throw new RequestRejected(404, "unknown_model", "name", "no model '" + InferenceRequest.clip(name)
                    + "' is served here; models: " + String.join(", ", modelNames()));
        }
        return model;
    }

    /** Returns {@code version} when the model has it, null when it is null; a 404 otherwise. */
    private static String existing(String name, InferenceModel<?> model, String version) {
        if (version == null) {
            return null;
        }
        List<String> versions = model.versions();
        if (!ModelRegistry.isVersionName(version) || !versions.contains(version)) {
            throw new RequestRejected(404, "unknown_version", "version", "model " + name + " has no version '"
                    + InferenceRequest.clip(version) + "'; its versions: " + String.join(", ", versions));
        }
        return version;
    }
}
