package io.bulwark.functions.monitoring;

import io.bulwark.functions.aws.SnapStartPriming;
import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every function call as CloudWatch Embedded Metric Format: one single-line JSON object per call on standard output,
 * which CloudWatch Logs turns into metrics with no agent and no API call (the Lambda path, where nobody scrapes
 * {@code /actuator/prometheus} and the alert thread is frozen between invocations). Each line is computed from the
 * call alone, at the call: nothing waits for a schedule.
 * <p>
 * The contract (shared with the alarms in {@code template.yaml}): namespace {@link #DEFAULT_NAMESPACE} unless
 * configured; per call, dimension set {@code [["Function"]]} with {@code Latency} (Milliseconds), {@code Requests},
 * {@code Errors} (a 5xx), {@code ClientErrors} (a 4xx), {@code Degraded}, {@code CacheHits} (Count) and
 * {@code CostUsd} (None), and the members {@code request_id}, {@code tier}, {@code fallback}, {@code model},
 * {@code status}; after each sentiment call (the only calls that move the LLM circuit breakers, which change state
 * only when a call tries them), one line per breaker, dimension set {@code [["Model"]]}, {@code BreakerOpen} (Count:
 * 1 open, 0 closed or half-open) and the member {@code state}; the same lines after each {@code predict} /
 * {@code predict_batch} call for the classifier versions' breakers ({@code penguins v2}) and after each
 * {@code digits} / {@code digits_batch} call for the digit versions' and variants' ({@code digits v1 int8}).
 */
public final class EmfMetrics implements FunctionObserver {

    /** The CloudWatch namespace unless {@code bulwark.metrics.emf.namespace} says otherwise. */
    public static final String DEFAULT_NAMESPACE = "Bulwark";

    /** Writes each line whole, with one write, to the standard output of the moment (Lambda's runtime redirects it). */
    public static final Consumer<String> STDOUT = line -> {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        PrintStream out = System.out;
        out.write(bytes, 0, bytes.length);
        out.flush();
    };

    private static final Logger log = LoggerFactory.getLogger(EmfMetrics.class);
    private static final List<Map<String, String>> CALL_METRICS = List.of(
            metric("Latency", "Milliseconds"), metric("Requests", "Count"), metric("Errors", "Count"),
            metric("ClientErrors", "Count"), metric("Degraded", "Count"), metric("CostUsd", "None"),
            metric("CacheHits", "Count"));
    private static final List<Map<String, String>> BREAKER_METRICS = List.of(metric("BreakerOpen", "Count"));

    private final Clock clock;
    private final Supplier<Map<String, String>> breakers;
    private final Supplier<Map<String, String>> predictBreakers;
    private final Supplier<Map<String, String>> digitBreakers;
    private final Consumer<String> out;
    private final JsonMapper json;
    private final List<Map<String, Object>> callDirective;
    private final List<Map<String, Object>> breakerDirective;
    private volatile boolean failed;

    /**
     * @param namespace the CloudWatch namespace of every metric
     * @param breakers  the state of each LLM circuit breaker by model, read after each sentiment call
     * @param out       where each line goes ({@link #STDOUT} in production)
     */
    public EmfMetrics(String namespace, Clock clock, Supplier<Map<String, String>> breakers, Consumer<String> out,
                      JsonMapper json) {
        this(namespace, clock, breakers, out, json, Map::of, Map::of);
    }

    /**
     * @param predictBreakers the classifier versions' breaker states by name, read after each prediction call
     * @param digitBreakers   the digit versions' and variants' breaker states by name, read after each digit call
     */
    public EmfMetrics(String namespace, Clock clock, Supplier<Map<String, String>> breakers, Consumer<String> out,
                      JsonMapper json, Supplier<Map<String, String>> predictBreakers,
                      Supplier<Map<String, String>> digitBreakers) {
        this.predictBreakers = Objects.requireNonNull(predictBreakers, "predictBreakers");
        this.digitBreakers = Objects.requireNonNull(digitBreakers, "digitBreakers");
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the EMF namespace must not be blank");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.out = Objects.requireNonNull(out, "out");
        this.json = Objects.requireNonNull(json, "json");
        this.callDirective = directive(namespace, "Function", CALL_METRICS);
        this.breakerDirective = directive(namespace, "Model", BREAKER_METRICS);
    }

    @Override
    public void onCall(FunctionCall call) {
        if (SnapStartPriming.REQUEST_ID.equals(call.requestId())) {
            // Priming before the snapshot is not traffic: its cold 4xx answers would count in the alarms' p95 and
            // error rate after every deploy.
            return;
        }
        try {
            long now = clock.millis();
            Sample s = Sample.of(call, now);
            out.accept(callLine(s, call.requestId(), now));
            Supplier<Map<String, String>> states = switch (s.function()) {
                case Sample.SENTIMENT -> breakers;
                case "predict", "predict_batch" -> predictBreakers;
                case "digits", "digits_batch" -> digitBreakers;
                default -> null;
            };
            if (states != null) {
                states.get().forEach((model, state) -> out.accept(breakerLine(model, state, now)));
            }
        } catch (RuntimeException e) {
            // An observer must not throw; one warning, not one per request.
            if (!failed) {
                failed = true;
                log.warn("EMF metrics could not be written; later failures are not logged", e);
            }
        }
    }

    String callLine(Sample s, String requestId, long now) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", aws(now, callDirective));
        line.put("Function", s.function());
        line.put("Latency", Math.round(s.latencyMs() * 1000) / 1000.0);
        line.put("Requests", 1);
        line.put("Errors", s.status() >= 500 ? 1 : 0);
        line.put("ClientErrors", s.status() >= 400 && s.status() < 500 ? 1 : 0);
        line.put("Degraded", s.degraded() ? 1 : 0);
        line.put("CostUsd", s.costUsd());
        line.put("CacheHits", s.cacheHit() ? 1 : 0);
        line.put("request_id", requestId);
        line.put("tier", s.tier());
        line.put("fallback", s.fallback());
        line.put("model", s.model());
        line.put("status", s.status());
        return json.writeValueAsString(line);
    }

    String breakerLine(String model, String state, long now) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", aws(now, breakerDirective));
        line.put("Model", model);
        line.put("BreakerOpen", BreakerStates.OPEN.equals(state) || "FORCED_OPEN".equals(state) ? 1 : 0);
        line.put("state", state);
        return json.writeValueAsString(line);
    }

    private static Map<String, Object> aws(long now, List<Map<String, Object>> directive) {
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", now);
        aws.put("CloudWatchMetrics", directive);
        return aws;
    }

    private static List<Map<String, Object>> directive(String namespace, String dimension,
                                                       List<Map<String, String>> metrics) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Namespace", namespace);
        d.put("Dimensions", List.of(List.of(dimension)));
        d.put("Metrics", metrics);
        return List.of(d);
    }

    private static Map<String, String> metric(String name, String unit) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Unit", unit);
        return m;
    }
}
