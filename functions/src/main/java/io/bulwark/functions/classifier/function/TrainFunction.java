package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.ClassifierService;
import io.bulwark.functions.classifier.ClassifierSettings;
import io.bulwark.functions.classifier.InvalidInput;
import io.bulwark.functions.classifier.train.Algorithm;
import io.bulwark.functions.classifier.train.TrainingSpec;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /train} (admin): {@code {"algorithm": "cart", "hyperparameters": {"max_depth": 4}, "seed": 7}},
 * every field optional (logistic regression with its defaults) → a new version, promoted if the rule says so.
 */
public final class TrainFunction extends ClassifierFunction {

    private final ClassifierService classifier;
    private final AdminAuth auth;

    public TrainFunction(JsonMapper json, ClassifierService classifier, AdminAuth auth) {
        super("train", json);
        this.classifier = classifier;
        this.auth = auth;
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        auth.check(header(request, "Authorization"));
        byte[] body = request.getPayload();
        boolean empty = body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank();
        JsonNode spec = empty ? json.createObjectNode() : jsonObject(request);
        ClassifierSettings s = classifier.settings();
        Algorithm algorithm = Algorithm.LOGISTIC_REGRESSION;
        JsonNode a = spec.get("algorithm");
        if (a != null && !a.isNull()) {
            if (!a.isString()) {
                throw new InvalidInput("invalid_type", "algorithm", "\"algorithm\" must be a string: one of "
                        + Algorithm.names());
            }
            algorithm = Algorithm.parse(a.stringValue());
        }
        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        JsonNode h = spec.get("hyperparameters");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new InvalidInput("invalid_type", "hyperparameters", "\"hyperparameters\" must be an object");
            }
            h.properties().forEach(e -> hyperparameters.put(e.getKey(),
                    e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().toString()));
        }
        long seed = s.seed();
        JsonNode sd = spec.get("seed");
        if (sd != null && !sd.isNull()) {
            if (!sd.isIntegralNumber() || !sd.canConvertToLong()) {
                throw new InvalidInput("invalid_type", "seed", "\"seed\" must be a whole number");
            }
            seed = sd.longValue();
        }
        for (String field : spec.propertyNames()) {
            if (!field.equals("algorithm") && !field.equals("hyperparameters") && !field.equals("seed")) {
                throw new InvalidInput("unknown_field", field, "'" + field
                        + "' is not a training option: algorithm, hyperparameters, seed");
            }
        }
        return classifier.train(new TrainingSpec(algorithm, hyperparameters, seed, s.splitSeed(), s.testFraction()));
    }
}
