package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ClassifierSettings;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.TrainingSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /train} (admin): {@code {"algorithm": "cart", "hyperparameters": {"max_depth": 4}, "seed": 7}},
 * every field optional (the model type's first algorithm with its defaults) → a new version, promoted if the rule
 * says so.
 */
public final class TrainFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("train");

    private static final List<String> FIELDS = List.of("algorithm", "hyperparameters", "seed");


    public TrainFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth) {
        super(json, classifier, auth, ENDPOINT);
    }

    @Override
    Object serve(FunctionRequest request) {
        JsonNode spec = optionalJsonObject(request, FIELDS);
        ClassifierSettings s = classifier.settings();
        List<Algorithm> offered = classifier.type().algorithms();
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
            h.properties().forEach(e -> hyperparameters.put(e.getKey(),
                    e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().toString()));
        }
        long seed = s.seed();
        JsonNode sd = spec.get("seed");
        if (sd != null && !sd.isNull()) {
            if (!sd.isIntegralNumber() || !sd.canConvertToLong()) {
                throw new RequestRejected("invalid_type", "seed", "\"seed\" must be a whole number");
            }
            seed = sd.longValue();
        }
        return classifier.train(new TrainingSpec(algorithm, hyperparameters, seed, s.splitSeed(), s.testFraction()));
    }
}
