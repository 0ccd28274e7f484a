package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.ModelInput;
import io.bulwark.models.dataset.DatasetStore;
import io.bulwark.models.pipeline.Pipeline;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import io.bulwark.models.train.TrainingSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /train} (admin): {@code {"algorithm": "cart", "hyperparameters": {"max_depth": 4}, "seed": 7,
 * "dataset": "ds-..."}}, every field optional (the model type's first algorithm with its defaults, on the bundled
 * data) → a new version, promoted if the rule says so. With {@code dataset} the version learns from that dataset
 * version (split as the bundled data is) and its metadata names it. With {@code pipeline} (a {@link Pipeline} as
 * data) the version's features come from that preprocessing, fitted on its training split and saved with it as
 * {@code pipeline.json}; without it, from the model type's default pipeline (penguins: island and sex one-hot).
 *
 * <p>A hyperparameter of the chosen algorithm may also be given at the top level, as seed 001's body does:
 * {@code {"epochs": 10, "learning_rate": 0.001}} trains the default algorithm (logistic regression) with those two
 * values. Given both ways, it is refused as ambiguous; a top-level name that is no hyperparameter of the chosen
 * algorithm is an unknown field.
 */
public final class TrainFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("train");

    private static final List<String> FIELDS = List.of("algorithm", "hyperparameters", "seed", "dataset",
            Pipeline.FIELD);

    private final DatasetStore<?> datasets;

    /** @param datasets the dataset versions a training may name ({@code "dataset": "ds-..."}) */
    public TrainFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth, DatasetStore<?> datasets) {
        super(json, classifier, auth, ENDPOINT);
        this.datasets = datasets;
    }

    @Override
    Object serve(FunctionRequest request) {
        List<Algorithm> offered = classifier.type().algorithms();
        List<String> accepted = new ArrayList<>(FIELDS);
        offered.forEach(o -> o.hyperparameters().forEach(p -> {
            if (!accepted.contains(p.name())) {
                accepted.add(p.name());
            }
        }));
        JsonNode spec = optionalJsonObject(request, accepted);
        ClassifierSettings s = classifier.settings();
        Algorithm algorithm = offered.getFirst();
        JsonNode a = spec.get("algorithm");
        if (a != null && !a.isNull()) {
            if (!a.isString()) {
                throw new RequestRejected("invalid_type", "algorithm", "\"algorithm\" must be a string: one of "
                        + Algorithm.names(offered));
            }
            algorithm = Algorithm.parse(offered, a.stringValue());
        }
        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        JsonNode h = spec.get("hyperparameters");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new RequestRejected("invalid_type", "hyperparameters", "\"hyperparameters\" must be an object");
            }
            h.properties().forEach(e -> hyperparameters.put(e.getKey(), value(e.getValue())));
        }
        Set<String> topLevel = new LinkedHashSet<>();
        for (String field : spec.propertyNames()) {
            if (FIELDS.contains(field)) {
                continue;
            }
            Algorithm chosen = algorithm;
            if (chosen.hyperparameters().stream().noneMatch(p -> p.name().equals(field))) {
                throw new RequestRejected("unknown_field", field, "'" + field + "' is not a field of /train nor a"
                        + " hyperparameter of " + chosen.name() + "; /train takes " + String.join(", ", FIELDS)
                        + ", and " + chosen.name() + "'s hyperparameters at the top level: " + chosen.hyperparameters()
                        .stream().map(Hyperparameter::name).collect(Collectors.joining(", ")));
            }
            if (hyperparameters.containsKey(field)) {
                throw new RequestRejected("duplicate_field", field, "'" + field + "' is given both at the top level"
                        + " and in \"hyperparameters\": give it once");
            }
            hyperparameters.put(field, value(spec.get(field)));
            topLevel.add(field);
        }
        long seed = s.seed();
        JsonNode sd = spec.get("seed");
        if (sd != null && !sd.isNull()) {
            if (!sd.isIntegralNumber() || !sd.canConvertToLong()) {
                throw new RequestRejected("invalid_type", "seed", "\"seed\" must be a whole number");
            }
            seed = sd.longValue();
        }
        TrainingSpec training;
        try {
            training = new TrainingSpec(algorithm, hyperparameters, seed, s.splitSeed(), s.testFraction());
        } catch (RequestRejected e) {
            // A top-level hyperparameter's refusal names the field as the caller wrote it, not "hyperparameters.x".
            String name = e.field() != null && e.field().startsWith("hyperparameters.")
                    ? e.field().substring("hyperparameters.".length()) : null;
            if (name != null && topLevel.contains(name)) {
                throw new RequestRejected(e.status(), e.code(), name, e.getMessage());
            }
            throw e;
        }
        Pipeline pipeline = classifier.type().defaultPipeline().orElse(null);
        JsonNode p = spec.get(Pipeline.FIELD);
        if (p != null && !p.isNull()) {
            if (pipeline == null) {
                throw new RequestRejected("unknown_field", Pipeline.FIELD, "the " + classifier.type().name()
                        + " model takes no preprocessing pipeline");
            }
            pipeline = Pipeline.parse(p, Pipeline.FIELD, classifier.type().pipelineFields());
        }
        JsonNode d = spec.get("dataset");
        if (d != null && !d.isNull() && !d.isString()) {
            throw new RequestRejected("invalid_type", "dataset", "\"dataset\" must be a dataset id (a string)");
        }
        return trainOn(classifier, datasets, d == null || d.isNull() ? null : d.stringValue(), training, pipeline);
    }

    /**
     * Trains on a dataset version (null: the type's own data): the classifier and the store belong to the same model
     * type (one wiring).
     */
    @SuppressWarnings("unchecked")
    private static <I extends ModelInput> Object trainOn(ClassifierService<I> classifier, DatasetStore<?> store,
                                                         String id, TrainingSpec spec, Pipeline pipeline) {
        return classifier.train(spec, id == null ? classifier.type().data()
                : ((DatasetStore<I>) store).data(id, "dataset"), pipeline);
    }

    private static Object value(JsonNode v) {
        return v.isNumber() ? v.numberValue() : v.toString();
    }
}
