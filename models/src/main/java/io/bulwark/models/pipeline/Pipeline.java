package io.bulwark.models.pipeline;

import io.bulwark.models.InputField;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A preprocessing pipeline described as data: a list of steps, each applied to a row in order —
 * {@code impute} (fill a missing value), {@code scale} (standard or min-max), {@code one_hot} (a category becomes
 * {@code feature=value} features) and {@code derive} (a new number from {@code + - * /} over numbers). Its JSON form:
 * <pre>{"steps": [{"impute": {"feature": "sex", "strategy": "most_frequent"}},
 *            {"scale": {"features": ["body_mass_g"], "method": "standard"}},
 *            {"one_hot": {"feature": "island"}},
 *            {"derive": {"name": "bill_ratio", "expression": "bill_length_mm / bill_depth_mm"}}]}</pre>
 * {@link #fit} learns what the steps need from the training rows (the values to impute, the scaling statistics, the
 * categories) and returns the {@link FittedPipeline} saved with the model version and applied to every row the
 * version sees, in training and in serving. After the steps, the row's numbers are the model's features; a category
 * left without {@code one_hot} is not a feature.
 */
public final class Pipeline {

    /** The field of {@code /train} that holds a pipeline. */
    public static final String FIELD = "pipeline";
    /** Most steps a pipeline may have. */
    public static final int MAX_STEPS = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final List<Step> steps;

    Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Reads a pipeline from its JSON form over the fields of a model type's rows; a refusal is a 400 that names the
     * field at fault under {@code field}, e.g. {@code pipeline.steps[2].scale.method}.
     *
     * @param fields what each field of a raw row is (number or text), in the model type's order
     */
    public static Pipeline parse(JsonNode node, String field, Map<String, InputField.Kind> fields) {
        return new Pipeline(read(node, field, fields, false));
    }

    /** Returns the steps, in order. */
    List<Step> steps() {
        return steps;
    }

    /** Returns the number of steps. */
    public int size() {
        return steps.size();
    }

    /**
     * Fits the steps in order on {@code rows} (the raw rows of the training split; each step learns from the rows as
     * the steps before it left them) and returns the fitted pipeline. {@code rows} are not changed.
     *
     * @throws RequestRejected naming the step when it cannot learn (an imputation with no value to learn from)
     */
    public FittedPipeline fit(List<Map<String, Object>> rows) {
        List<Map<String, Object>> current = new ArrayList<>(rows.size());
        rows.forEach(r -> current.add(new LinkedHashMap<>(r)));
        List<Step> fitted = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Step f = step.fit(current, FIELD + ".steps[" + i + "]." + step.kind());
            current.forEach(f::apply);
            fitted.add(f);
        }
        return new FittedPipeline(fitted);
    }

    /** Returns the JSON form (the spec, without anything fitted). */
    public ObjectNode toJson() {
        return write(steps);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    static ObjectNode write(List<Step> steps) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        var array = root.putArray("steps");
        for (Step s : steps) {
            ObjectNode body = array.addObject().putObject(s.kind());
            s.write(body);
        }
        return root;
    }

    /**
     * Reads the steps; with {@code stored} (a saved {@code pipeline.json}) what was fitted is read too and required.
     */
    static List<Step> read(JsonNode node, String field, Map<String, InputField.Kind> fields, boolean stored) {
        if (node == null || !node.isObject()) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be an object: {\"steps\": [...]}");
        }
        for (String name : node.propertyNames()) {
            if (!name.equals("steps")) {
                throw new RequestRejected("unknown_field", field + "." + name, "'" + name + "' is not a field of a"
                        + " pipeline; it takes steps");
            }
        }
        JsonNode array = node.get("steps");
        String stepsField = field + ".steps";
        if (array == null || !array.isArray()) {
            throw new RequestRejected(array == null ? "missing_field" : "invalid_type", stepsField,
                    "\"steps\" must be an array of steps");
        }
        if (array.size() > MAX_STEPS) {
            throw new RequestRejected("invalid_value", stepsField, "a pipeline has at most " + MAX_STEPS
                    + " steps; this one has " + array.size());
        }
        Map<String, InputField.Kind> schema = new LinkedHashMap<>(fields);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = stepsField + "[" + i + "]";
            JsonNode s = array.get(i);
            if (!s.isObject() || s.size() != 1) {
                throw new RequestRejected("invalid_type", at, "step " + i + " must be an object with one key:"
                        + " impute, scale, one_hot or derive");
            }
            String kind = s.propertyNames().iterator().next();
            JsonNode body = s.get(kind);
            String bodyField = at + "." + kind;
            if (!body.isObject()) {
                throw new RequestRejected("invalid_type", bodyField, "\"" + kind + "\" must be an object");
            }
            Step step = switch (kind) {
                case "impute" -> impute(body, bodyField, schema, stored);
                case "scale" -> scale(body, bodyField, schema, stored);
                case "one_hot" -> oneHot(body, bodyField, schema, stored);
                case "derive" -> derive(body, bodyField, schema);
                default -> throw new RequestRejected("unknown_step", at + "." + kind, "'" + kind + "' is not a kind of"
                        + " step: impute, scale, one_hot or derive");
            };
            if (stored && !step.fitted()) {
                throw new RequestRejected("invalid_value", bodyField, "the saved step holds nothing fitted");
            }
            steps.add(step);
        }
        return steps;
    }

    private static Step impute(JsonNode body, String at, Map<String, InputField.Kind> schema, boolean stored) {
        only(body, at, "feature", "strategy", "value");
        String feature = known(body, at + ".feature", schema, null);
        Step.Strategy strategy = choice(body, at + ".strategy", Step.Strategy.class);
        InputField.Kind kind = schema.get(feature);
        if ((strategy == Step.Strategy.MEAN || strategy == Step.Strategy.MEDIAN) && kind != InputField.Kind.NUMBER) {
            throw new RequestRejected("invalid_value", at + ".strategy", "'" + feature + "' is text: impute it with"
                    + " most_frequent or constant, not " + strategy.wire());
        }
        JsonNode v = body.get("value");
        if (strategy == Step.Strategy.CONSTANT && v == null) {
            throw new RequestRejected("missing_field", at + ".value", "strategy constant needs a \"value\"");
        }
        if (v != null && strategy != Step.Strategy.CONSTANT && !stored) {
            throw new RequestRejected("unknown_field", at + ".value", "\"value\" goes with strategy constant only;"
                    + " " + strategy.wire() + " learns it from the training rows");
        }
        Object value = null;
        if (v != null) {
            if (kind == InputField.Kind.NUMBER ? !v.isNumber() || !Double.isFinite(v.doubleValue()) : !v.isString()) {
                throw new RequestRejected("invalid_type", at + ".value", "\"value\" must be "
                        + (kind == InputField.Kind.NUMBER ? "a number" : "a string") + ", as '" + feature + "' is");
            }
            value = kind == InputField.Kind.NUMBER ? (Object) v.doubleValue() : v.stringValue();
        }
        return new Step.Impute(feature, strategy, value);
    }

    private static Step scale(JsonNode body, String at, Map<String, InputField.Kind> schema, boolean stored) {
        only(body, at, "features", "method", stored ? "fitted" : "features");
        JsonNode names = body.get("features");
        if (names == null || !names.isArray() || names.isEmpty()) {
            throw new RequestRejected(names == null ? "missing_field" : "invalid_type", at + ".features",
                    "\"features\" must be a non-empty array of numeric feature names");
        }
        Set<String> features = new LinkedHashSet<>();
        for (int j = 0; j < names.size(); j++) {
            String f = known(names.get(j), at + ".features[" + j + "]", schema, InputField.Kind.NUMBER);
            if (!features.add(f)) {
                throw new RequestRejected("invalid_value", at + ".features[" + j + "]", "'" + f + "' is listed twice");
            }
        }
        Step.Method method = choice(body, at + ".method", Step.Method.class);
        Map<String, double[]> fitted = new LinkedHashMap<>();
        JsonNode learnt = body.get("fitted");
        if (learnt != null) {
            for (String f : features) {
                JsonNode os = learnt.get(f);
                if (os == null || !os.path("offset").isNumber() || !os.path("scale").isNumber()) {
                    throw new RequestRejected("invalid_value", at + ".fitted." + f, "no offset and scale for " + f);
                }
                fitted.put(f, new double[]{os.get("offset").doubleValue(), os.get("scale").doubleValue()});
            }
        }
        return new Step.Scale(List.copyOf(features), method, fitted);
    }

    private static Step oneHot(JsonNode body, String at, Map<String, InputField.Kind> schema, boolean stored) {
        only(body, at, "feature", stored ? "categories" : "feature");
        String feature = known(body, at + ".feature", schema, InputField.Kind.TEXT);
        schema.remove(feature);
        JsonNode categories = body.get("categories");
        if (categories == null) {
            return new Step.OneHot(feature, List.of(), false);
        }
        List<String> seen = new ArrayList<>();
        categories.forEach(c -> seen.add(c.asString()));
        return new Step.OneHot(feature, seen, true);
    }

    private static Step derive(JsonNode body, String at, Map<String, InputField.Kind> schema) {
        only(body, at, "name", "expression");
        JsonNode n = body.get("name");
        if (n == null || !n.isString()) {
            throw new RequestRejected(n == null ? "missing_field" : "invalid_type", at + ".name",
                    "\"name\" must be the new feature's name (a string)");
        }
        String name = n.stringValue();
        if (!NAME.matcher(name).matches()) {
            throw new RequestRejected("invalid_value", at + ".name", "a derived feature's name is 1 to 64 letters,"
                    + " digits or _, not starting with a digit");
        }
        if (schema.containsKey(name)) {
            throw new RequestRejected("invalid_value", at + ".name", "'" + name + "' is already a feature");
        }
        JsonNode e = body.get("expression");
        if (e == null || !e.isString()) {
            throw new RequestRejected(e == null ? "missing_field" : "invalid_type", at + ".expression",
                    "\"expression\" must be a string such as \"bill_length_mm / bill_depth_mm\"");
        }
        Set<String> numeric = new LinkedHashSet<>();
        schema.forEach((k, v) -> {
            if (v == InputField.Kind.NUMBER) {
                numeric.add(k);
            }
        });
        Expression expression = Expression.parse(e.stringValue(), numeric, at + ".expression");
        schema.put(name, InputField.Kind.NUMBER);
        return new Step.Derive(name, expression);
    }

    /** Refuses a key of {@code body} that is not one of {@code keys}. */
    private static void only(JsonNode body, String at, String... keys) {
        for (String name : body.propertyNames()) {
            if (!List.of(keys).contains(name)) {
                throw new RequestRejected("unknown_field", at + "." + name, "'" + name + "' is not a field of this"
                        + " step; it takes " + String.join(", ", new LinkedHashSet<>(List.of(keys))));
            }
        }
    }

    /** Reads a feature name (at {@code node}'s "feature" key when {@code node} is an object) that the row has. */
    private static String known(JsonNode node, String at, Map<String, InputField.Kind> schema, InputField.Kind kind) {
        JsonNode v = node.isObject() ? node.get("feature") : node;
        if (v == null || !v.isString()) {
            throw new RequestRejected(v == null ? "missing_field" : "invalid_type", at, "a feature name (a string)"
                    + " is required");
        }
        String f = v.stringValue();
        if (!schema.containsKey(f)) {
            throw new RequestRejected("unknown_feature", at, "'" + f + "' is not a feature at this step; features: "
                    + String.join(", ", schema.keySet()));
        }
        if (kind != null && schema.get(f) != kind) {
            throw new RequestRejected("invalid_value", at, "'" + f + "' is " + (schema.get(f) == InputField.Kind.NUMBER
                    ? "a number" : "text") + "; this step takes " + (kind == InputField.Kind.NUMBER ? "numbers" : "text"));
        }
        return f;
    }

    private static <E extends Enum<E>> E choice(JsonNode body, String at, Class<E> type) {
        String key = at.substring(at.lastIndexOf('.') + 1);
        JsonNode v = body.get(key);
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList();
        if (v == null || !v.isString() || !names.contains(v.stringValue())) {
            throw new RequestRejected(v == null ? "missing_field" : "invalid_value", at, "\"" + key
                    + "\" must be one of " + String.join(", ", names) + (v == null ? "" : "; not " + v));
        }
        return Enum.valueOf(type, v.stringValue().toUpperCase(java.util.Locale.ROOT));
    }
}
