package io.bulwark.functions.classifier;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.HttpFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.jobs.JobRunner;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import io.bulwark.models.train.Metric;
import io.bulwark.models.tune.Dimension;
import io.bulwark.models.tune.TuneSpec;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tune} (admin): searches an algorithm's hyperparameters by k-fold cross-validation on the training
 * split, then trains the best as a new version (promoted under the promotion rule). Long work: it answers 202 with a
 * job id at once; {@code GET /jobs?id=} reports progress and the result, {@code POST /jobs_cancel} stops it.
 */
public final class TuneFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("tune");

    private static final List<String> FIELDS = List.of("algorithm", "search_space", "strategy", "trials",
            "max_seconds", "folds", "seed", "metric");
    /** Grid points of a range without {@code steps}. */
    static final int DEFAULT_STEPS = 5;
    static final int MAX_STEPS = 50;

    private final JobRunner jobs;
    private final Ticker ticker;

    public TuneFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth, JobRunner jobs,
                        Ticker ticker) {
        super(json, classifier, auth, ENDPOINT);
        this.jobs = jobs;
        this.ticker = ticker;
    }

    /** The 202 answer. */
    @JsonPropertyOrder({"job_id", "state", "status_url", "planned_trials"})
    public record Accepted(@JsonProperty("job_id") String jobId, String state,
                           @JsonProperty("status_url") String statusUrl,
                           @JsonProperty("planned_trials") int plannedTrials) {
    }

    @Override
    Object serve(FunctionRequest request) {
        TuneSpec spec = spec(jsonObject(request));
        int planned = io.bulwark.models.tune.Tuner.planned(spec);
        JobRunner.JobView job = jobs.submit("tune", (id, control) -> classifier.tune(id, spec, ticker,
                (done, total, t) -> control.progress(done, total, "trial " + t.trial() + ": " + spec.metric().name()
                        + " " + t.mean() + " ± " + t.sd() + " with " + t.hyperparameters()), control::cancelled));
        return new HttpFunction.WithStatus(202, new Accepted(job.id(), job.state(), "/jobs?id=" + job.id(), planned));
    }

    private TuneSpec spec(JsonNode body) {
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new RequestRejected("unknown_field", field, "'" + field + "' is not a field of /tune: "
                        + String.join(", ", FIELDS));
            }
        }
        List<Algorithm> offered = classifier.type().algorithms();
        Algorithm algorithm = offered.getFirst();
        JsonNode a = body.get("algorithm");
        if (a != null && !a.isNull()) {
            if (!a.isString()) {
                throw new RequestRejected("invalid_type", "algorithm", "\"algorithm\" must be a string: one of "
                        + Algorithm.names(offered));
            }
            algorithm = Algorithm.parse(offered, a.stringValue());
        }
        Map<String, Dimension> space = space(algorithm, body.get("search_space"));
        TuneSpec.Strategy strategy = strategy(body.get("strategy"));
        int trials = (int) whole(body, "trials", TuneSpec.DEFAULT_TRIALS, TuneSpec.MIN_TRIALS, TuneSpec.MAX_TRIALS);
        long seconds = whole(body, "max_seconds", TuneSpec.DEFAULT_TIME.toSeconds(), 1, TuneSpec.MAX_TIME.toSeconds());
        int folds = (int) whole(body, "folds", TuneSpec.DEFAULT_FOLDS, TuneSpec.MIN_FOLDS, TuneSpec.MAX_FOLDS);
        long seed = whole(body, "seed", classifier.settings().seed(), Long.MIN_VALUE, Long.MAX_VALUE);
        Metric metric = metric(body.get("metric"));
        return new TuneSpec(algorithm, space, strategy, folds, trials, Duration.ofSeconds(seconds), seed, metric);
    }

    private static Map<String, Dimension> space(Algorithm algorithm, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new RequestRejected("missing_field", "search_space", "\"search_space\" is required: an object of "
                    + "hyperparameter → [values] or {\"min\": .., \"max\": .., \"log\": false, \"steps\": 5}");
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new RequestRejected("invalid_type", "search_space", "\"search_space\" must be an object naming at"
                    + " least one hyperparameter of " + algorithm.name());
        }
        Map<String, Dimension> space = new LinkedHashMap<>();
        for (var e : node.properties()) {
            String field = "search_space." + e.getKey();
            Hyperparameter h = algorithm.hyperparameters().stream().filter(x -> x.name().equals(e.getKey()))
                    .findFirst().orElseThrow(() -> new RequestRejected("unknown_hyperparameter", field, "'"
                            + e.getKey() + "' is not a hyperparameter of " + algorithm.name() + "; it takes "
                            + String.join(", ", algorithm.hyperparameters().stream().map(Hyperparameter::name)
                            .toList())));
            JsonNode v = e.getValue();
            if (v.isArray()) {
                if (v.isEmpty() || v.size() > MAX_STEPS) {
                    throw new RequestRejected("invalid_value", field, "'" + e.getKey() + "' needs 1 to " + MAX_STEPS
                            + " values");
                }
                List<Object> values = new ArrayList<>();
                v.forEach(x -> values.add(check(algorithm, h, x, field)));
                space.put(h.name(), new Dimension.Choice(values));
            } else if (v.isObject()) {
                for (String k : v.propertyNames()) {
                    if (!List.of("min", "max", "log", "steps").contains(k)) {
                        throw new RequestRejected("unknown_field", field + "." + k, "a range takes min, max, log and"
                                + " steps, not '" + k + "'");
                    }
                }
                double min = ((Number) check(algorithm, h, v.get("min"), field + ".min")).doubleValue();
                double max = ((Number) check(algorithm, h, v.get("max"), field + ".max")).doubleValue();
                if (min > max) {
                    throw new RequestRejected("invalid_value", field, "'" + e.getKey() + "': min " + min
                            + " is above max " + max);
                }
                JsonNode log = v.get("log");
                if (log != null && !log.isBoolean()) {
                    throw new RequestRejected("invalid_type", field + ".log", "\"log\" must be true or false");
                }
                boolean isLog = log != null && log.booleanValue();
                if (isLog && min <= 0) {
                    throw new RequestRejected("invalid_value", field, "'" + e.getKey() + "': a log scale needs min > 0");
                }
                JsonNode steps = v.get("steps");
                if (steps != null && (!steps.isIntegralNumber() || steps.asInt() < 1 || steps.asInt() > MAX_STEPS)) {
                    throw new RequestRejected("out_of_range", field + ".steps", "\"steps\" must be a whole number"
                            + " from 1 to " + MAX_STEPS);
                }
                space.put(h.name(), new Dimension.Range(min, max, h.integral(), isLog,
                        steps == null ? DEFAULT_STEPS : steps.asInt()));
            } else {
                throw new RequestRejected("invalid_type", field, "'" + e.getKey() + "' must be a list of values or"
                        + " {\"min\": .., \"max\": ..}, not " + kind(v));
            }
        }
        return space;
    }

    /** Checks a value against the hyperparameter's type and range, naming the search-space field when it is bad. */
    private static Object check(Algorithm algorithm, Hyperparameter h, JsonNode v, String field) {
        if (v == null || v.isNull()) {
            throw new RequestRejected("missing_field", field, "\"" + field + "\" is required");
        }
        if (!v.isNumber()) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a number, not " + kind(v));
        }
        try {
            return algorithm.resolve(Map.of(h.name(), v.numberValue())).get(h.name());
        } catch (RequestRejected e) {
            throw new RequestRejected(e.code(), field, e.getMessage());
        }
    }

    private static TuneSpec.Strategy strategy(JsonNode node) {
        if (node == null || node.isNull()) {
            return TuneSpec.Strategy.RANDOM;
        }
        for (TuneSpec.Strategy s : TuneSpec.Strategy.values()) {
            if (node.isString() && s.name().equalsIgnoreCase(node.stringValue().strip().replace('-', '_'))) {
                return s;
            }
        }
        throw new RequestRejected("invalid_value", "strategy", "\"strategy\" must be grid, random or"
                + " successive_halving");
    }

    private Metric metric(JsonNode node) {
        List<Metric> metrics = classifier.type().metrics();
        if (node == null || node.isNull()) {
            return metrics.getFirst();
        }
        return metrics.stream().filter(m -> node.isString() && m.name().equals(node.stringValue().strip()))
                .findFirst().orElseThrow(() -> new RequestRejected("invalid_value", "metric", "\"metric\" must be one"
                        + " of " + String.join(", ", metrics.stream().map(Metric::name).toList())));
    }

    private static long whole(JsonNode body, String field, long fallback, long min, long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a whole number");
        }
        if (n.longValue() < min || n.longValue() > max) {
            throw new RequestRejected("out_of_range", field, "\"" + field + "\" must be between " + min + " and "
                    + max + ", not " + n.longValue());
        }
        return n.longValue();
    }
}
