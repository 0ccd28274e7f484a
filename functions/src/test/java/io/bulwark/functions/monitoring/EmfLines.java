package io.bulwark.functions.monitoring;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What CloudWatch Logs requires of an Embedded Metric Format line (the documented specification: a JSON object on one
 * line whose {@code _aws} member holds an epoch-millisecond {@code Timestamp} and {@code CloudWatchMetrics}
 * directives; every dimension a directive names is a top-level string member, every metric a top-level number),
 * and the metric contract Bulwark's alarms are written against, for tests.
 */
public final class EmfLines {

    /** CloudWatch's metric units (the EMF specification's list). */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    /** The per-call metrics of the contract, with their units. */
    public static final Map<String, String> CALL_METRICS = units("Latency", "Milliseconds", "Requests", "Count",
            "Errors", "Count", "ClientErrors", "Count", "Degraded", "Count", "CostUsd", "None", "CacheHits", "Count");
    /** The members besides metrics and dimensions that each call line carries. */
    public static final List<String> CALL_MEMBERS = List.of("request_id", "tier", "fallback", "model", "status");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EmfLines() {
    }

    /** Returns the EMF lines of some output (lines that are JSON objects with an {@code _aws} member), parsed. */
    public static List<JsonNode> in(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** Asserts that the line, as written, is one EMF object CloudWatch accepts; returns it parsed. */
    public static JsonNode assertParses(String line) {
        assertThat(line).as("one line").doesNotContain("\n").doesNotContain("\r");
        JsonNode root = JSON.readTree(line);
        assertParses(root);
        return root;
    }

    /** Asserts the documented structure: {@code _aws}, its Timestamp and directives, and the members they name. */
    public static void assertParses(JsonNode root) {
        assertThat(root.isObject()).as("root object: " + root).isTrue();
        JsonNode aws = root.path("_aws");
        assertThat(aws.isObject()).as("_aws: " + root).isTrue();
        JsonNode timestamp = aws.path("Timestamp");
        assertThat(timestamp.isIntegralNumber()).as("Timestamp is an integer: " + root).isTrue();
        // Epoch milliseconds of these years, not seconds: CloudWatch drops points over 2 weeks old or 2 hours ahead.
        assertThat(timestamp.asLong()).as("Timestamp in epoch milliseconds").isBetween(1_600_000_000_000L,
                4_000_000_000_000L);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray() && !directives.isEmpty()).as("CloudWatchMetrics: " + root).isTrue();
        for (JsonNode d : directives) {
            assertThat(d.path("Namespace").isString()).as("Namespace: " + d).isTrue();
            assertThat(d.path("Namespace").asString()).hasSizeBetween(1, 255);
            assertThat(d.path("Dimensions").isArray()).as("Dimensions: " + d).isTrue();
            for (JsonNode set : d.path("Dimensions")) {
                assertThat(set.isArray() && set.size() <= 30).as("a dimension set: " + set).isTrue();
                for (JsonNode name : set) {
                    assertThat(root.path(name.asString()).isString())
                            .as("dimension " + name + " is a top-level string member: " + root).isTrue();
                }
            }
            assertThat(d.path("Metrics").isArray() && d.path("Metrics").size() <= 100).as("Metrics: " + d).isTrue();
            for (JsonNode m : d.path("Metrics")) {
                String name = m.path("Name").asString("");
                assertThat(name).as("metric name: " + m).isNotEmpty().hasSizeLessThanOrEqualTo(1024);
                if (m.has("Unit")) {
                    assertThat(UNITS).as("unit of " + name).contains(m.path("Unit").asString());
                }
                assertThat(root.path(name).isNumber()).as("metric " + name + " is a top-level number: " + root).isTrue();
            }
        }
    }

    /** Asserts a function call's line against the contract (namespace, dimension, metrics, members). */
    public static void assertCallLine(JsonNode root, String namespace) {
        assertParses(root);
        JsonNode d = root.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(d.path("Namespace").asString()).isEqualTo(namespace);
        assertThat(d.path("Dimensions").toString()).isEqualTo("[[\"Function\"]]");
        Map<String, String> metrics = new LinkedHashMap<>();
        d.path("Metrics").forEach(m -> metrics.put(m.path("Name").asString(), m.path("Unit").asString()));
        assertThat(metrics).isEqualTo(CALL_METRICS);
        assertThat(root.path("Requests").asInt()).isEqualTo(1);
        for (String counter : List.of("Errors", "ClientErrors", "Degraded", "CacheHits")) {
            assertThat(root.path(counter).asInt()).as(counter).isIn(0, 1);
        }
        assertThat(root.path("Latency").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(root.path("CostUsd").asDouble()).isGreaterThanOrEqualTo(0);
        for (String member : CALL_MEMBERS) {
            assertThat(root.has(member)).as(member + " in " + root).isTrue();
        }
        assertThat(root.path("status").isIntegralNumber()).isTrue();
    }

    /** Asserts a breaker line against the contract. */
    public static void assertBreakerLine(JsonNode root, String namespace) {
        assertParses(root);
        JsonNode d = root.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(d.path("Namespace").asString()).isEqualTo(namespace);
        assertThat(d.path("Dimensions").toString()).isEqualTo("[[\"Model\"]]");
        assertThat(d.path("Metrics").toString()).isEqualTo("[{\"Name\":\"BreakerOpen\",\"Unit\":\"Count\"}]");
        assertThat(root.path("BreakerOpen").asInt()).isIn(0, 1);
    }

    private static Map<String, String> units(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
