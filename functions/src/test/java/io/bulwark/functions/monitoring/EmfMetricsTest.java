package io.bulwark.functions.monitoring;

import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.digits.DigitsFunction;
import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionCall;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmfMetricsTest {

    static final Instant NOW = Instant.parse("2026-11-30T01:02:03.456Z");
    final List<String> lines = new ArrayList<>();
    final Map<String, String> breakers = new LinkedHashMap<>(Map.of("gpt-4o-mini", "CLOSED"));
    final EmfMetrics emf = new EmfMetrics("Bulwark", Clock.fixed(NOW, ZoneOffset.UTC), () -> breakers, lines::add,
            JsonMapper.builder().build());

    private JsonNode only(FunctionCall call) {
        lines.clear();
        emf.onCall(call);
        JsonNode line = EmfLines.assertParses(lines.getFirst());
        EmfLines.assertCallLine(line, "Bulwark");
        return line;
    }

    @Test
    void should_write_a_sentiment_answer_as_one_line_with_every_contract_metric_and_member() {
        FunctionCall llm = Calls.llm(412.5);
        JsonNode line = only(new FunctionCall(llm.function(), llm.status(), llm.latencyNanos(), llm.body(), "req-1"));

        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(line.path("Function").asString()).isEqualTo("sentiment");
        assertThat(line.path("Latency").asDouble()).isEqualTo(412.5);
        assertThat(line.path("Errors").asInt()).isZero();
        assertThat(line.path("ClientErrors").asInt()).isZero();
        assertThat(line.path("Degraded").asInt()).isZero();
        assertThat(line.path("CacheHits").asInt()).isZero();
        assertThat(line.path("CostUsd").asDouble()).isEqualTo(0.000015);
        assertThat(line.path("request_id").asString()).isEqualTo("req-1");
        assertThat(line.path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(line.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(line.path("fallback").isNull()).isTrue();
        assertThat(line.path("status").asInt()).isEqualTo(200);
    }

    @Test
    void should_count_a_degraded_fallback_and_a_cache_hit() {
        JsonNode degraded = only(Calls.fallback("local_model"));
        JsonNode hit = only(Calls.semanticHit());

        assertThat(degraded.path("Degraded").asInt()).isEqualTo(1);
        assertThat(degraded.path("fallback").asString()).isEqualTo("local_model");
        assertThat(degraded.path("Errors").asInt()).as("a fallback is not a 5xx").isZero();
        assertThat(hit.path("CacheHits").asInt()).isEqualTo(1);
        assertThat(hit.path("tier").asString()).isEqualTo("cache");
    }

    @Test
    void should_count_a_5xx_as_an_error_and_a_4xx_as_a_client_error() {
        JsonNode server = only(new FunctionCall("predict", 500, 1_000_000,
                new ApiError("internal_error", "failed", null), "r"));
        JsonNode client = only(new FunctionCall("predict", 400, 1_000_000,
                new ApiError("missing_field", "no island", "island"), "r"));

        assertThat(server.path("Errors").asInt()).isEqualTo(1);
        assertThat(server.path("ClientErrors").asInt()).isZero();
        assertThat(client.path("Errors").asInt()).isZero();
        assertThat(client.path("ClientErrors").asInt()).isEqualTo(1);
        assertThat(client.path("status").asInt()).isEqualTo(400);
    }

    @Test
    void should_name_the_version_that_answered_a_prediction_or_a_digit_and_count_their_cache_and_degradation() {
        JsonNode cached = only(new FunctionCall("predict", 200, 1_000_000, new PredictFunction.Response("Gentoo", null,
                0.99, Map.of("Gentoo", 0.99), "v2", false, null, true, 1.0, "r"), "r"));
        JsonNode digit = only(new FunctionCall("digits", 200, 1_000_000, new DigitsFunction.Response(7, null, 0.99,
                Map.of("7", 0.99), "v1", "fp32", true, "fp32_variant", 1.0, "r"), "r"));

        assertThat(cached.path("model").asString()).isEqualTo("v2");
        assertThat(cached.path("CacheHits").asInt()).isEqualTo(1);
        assertThat(digit.path("model").asString()).isEqualTo("v1");
        assertThat(digit.path("Degraded").asInt()).isEqualTo(1);
        assertThat(digit.path("fallback").asString()).isEqualTo("fp32_variant");
        assertThat(digit.path("CostUsd").asDouble()).isZero();
    }

    @Test
    void should_write_one_breaker_line_per_model_after_a_sentiment_call_with_1_only_when_open() {
        breakers.put("gpt-4o-mini", "OPEN");
        breakers.put("gpt-4o", "HALF_OPEN");

        emf.onCall(Calls.llm(10));

        assertThat(lines).hasSize(3);
        JsonNode cheap = EmfLines.assertParses(lines.get(1));
        JsonNode strong = EmfLines.assertParses(lines.get(2));
        EmfLines.assertBreakerLine(cheap, "Bulwark");
        EmfLines.assertBreakerLine(strong, "Bulwark");
        assertThat(cheap.path("Model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(cheap.path("BreakerOpen").asInt()).isEqualTo(1);
        assertThat(strong.path("Model").asString()).isEqualTo("gpt-4o");
        assertThat(strong.path("BreakerOpen").asInt()).isZero();
        assertThat(strong.path("state").asString()).isEqualTo("HALF_OPEN");
    }

    @Test
    void should_not_read_the_breakers_after_another_function() {
        Map<String, String> unreadable = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, String>> entrySet() {
                throw new AssertionError("the breakers were read after a predict call");
            }
        };
        List<String> out = new ArrayList<>();
        new EmfMetrics("Bulwark", Clock.systemUTC(), () -> unreadable, out::add, JsonMapper.builder().build())
                .onCall(Calls.predict("v1"));

        assertThat(out).hasSize(1);
    }

    @Test
    void should_leave_snapstart_priming_out_of_the_metrics() {
        lines.clear();
        FunctionCall c = Calls.predict("v1");
        emf.onCall(new FunctionCall(c.function(), 400, c.latencyNanos(), c.body(),
                io.bulwark.functions.aws.SnapStartPriming.REQUEST_ID));

        assertThat(lines).isEmpty();
    }

    @Test
    void should_not_throw_when_the_output_fails() {
        EmfMetrics broken = new EmfMetrics("Bulwark", Clock.systemUTC(), Map::of, line -> {
            throw new IllegalStateException("stdout closed");
        }, JsonMapper.builder().build());

        broken.onCall(Calls.llm(1));
        broken.onCall(Calls.llm(1));
    }

    @Test
    void should_write_the_configured_namespace_and_refuse_a_blank_one() {
        List<String> out = new ArrayList<>();
        new EmfMetrics("Bulwark/Staging", Clock.systemUTC(), Map::of, out::add, JsonMapper.builder().build())
                .onCall(Calls.predict("v1"));

        EmfLines.assertCallLine(EmfLines.assertParses(out.getFirst()), "Bulwark/Staging");
        assertThatThrownBy(() -> new EmfMetrics(" ", Clock.systemUTC(), Map::of, out::add,
                JsonMapper.builder().build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_write_the_version_breakers_after_a_prediction_and_the_variant_breakers_after_a_digit_call() {
        List<String> out = new ArrayList<>();
        EmfMetrics models = new EmfMetrics("Bulwark", Clock.fixed(NOW, ZoneOffset.UTC), Map::of, out::add,
                JsonMapper.builder().build(), () -> Map.of("penguins v2", "OPEN"),
                () -> Map.of("digits v1 int8", "CLOSED"));

        models.onCall(Calls.predict("v1"));
        models.onCall(new FunctionCall("digits", 200, 1_000_000, new DigitsFunction.Response(7, null, 0.99,
                Map.of("7", 0.99), "v1", "int8", false, null, 1.0, "r"), "r"));

        assertThat(out).hasSize(4);
        JsonNode penguins = EmfLines.assertParses(out.get(1));
        JsonNode digits = EmfLines.assertParses(out.get(3));
        EmfLines.assertBreakerLine(penguins, "Bulwark");
        EmfLines.assertBreakerLine(digits, "Bulwark");
        assertThat(penguins.path("Model").asString()).isEqualTo("penguins v2");
        assertThat(penguins.path("BreakerOpen").asInt()).isEqualTo(1);
        assertThat(digits.path("Model").asString()).isEqualTo("digits v1 int8");
        assertThat(digits.path("BreakerOpen").asInt()).isZero();
    }
}
