package io.bulwark.functions.digits;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.functions.monitoring.AlertEvaluator;
import io.bulwark.functions.monitoring.AlertEvent;
import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digit recogniser's figures where the sentiment and penguin figures are: 40 digits sent over HTTP (30 to
 * /digits, 10 in one /digits_batch) appear in /metrics/summary's {@code digits} section (requests, digits, latency,
 * uncertain / degraded / fallback shares, variants); 30 wrong feedback labels drop its live accuracy and fire the
 * {@code digits-accuracy-drop} alert (and not the penguins' {@code accuracy-drop}); Prometheus has the live accuracy
 * and the variant breakers' gauges.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.monitoring.evaluate-every=1h",
})
class DigitsFiguresIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.digits.registry", () -> dir.resolve("digits").toString());
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    AlertEvaluator evaluator;

    @Test
    void should_show_the_digit_figures_and_fire_the_digit_accuracy_drop_alert_on_wrong_feedback() {
        HttpClientSupport http = new HttpClientSupport(port);
        List<Labelled<DigitImage>> test = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        int uncertain = 0;
        for (int i = 0; i < 30; i++) {
            Reply r = http.request("POST", "/digits", Map.of("Content-Type", "application/json", "X-Request-Id",
                    "fig-" + i), "{\"pixels\": " + DigitsMonitoringIT.pixels(test.get(i * 37).input(), false) + "}");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            JsonNode answer = r.json();
            String digit = answer.path("digit").isNumber() ? answer.path("digit").asString()
                    : answer.path("best_guess").asString();
            uncertain += "uncertain".equals(answer.path("digit").asString()) ? 1 : 0;
            String wrong = Integer.toString((Integer.parseInt(digit) + 1) % 10);
            Reply fb = http.postJson("/feedback", "{\"request_id\": \"fig-" + i + "\", \"label\": \"" + wrong + "\"}");
            assertThat(fb.status()).as(fb.raw()).isEqualTo(200);
        }
        StringBuilder batch = new StringBuilder("{\"images\": [");
        for (int i = 0; i < 10; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"pixels\": ")
                    .append(DigitsMonitoringIT.pixels(test.get(1000 + i).input(), false)).append('}');
        }
        Reply batchReply = http.request("POST", "/digits_batch", Map.of("Content-Type", "application/json",
                "X-Model-Variant", "fp32"), batch.append("]}").toString());
        assertThat(batchReply.status()).as(batchReply.raw()).isEqualTo(200);
        int batchUncertain = batchReply.json().path("results").findValuesAsString("digit").stream()
                .mapToInt(d -> "uncertain".equals(d) ? 1 : 0).sum();

        List<AlertEvent> events = evaluator.evaluate();
        JsonNode summary = http.get("/metrics/summary").json();
        JsonNode digits = summary.path("digits");
        JsonNode alerts = http.get("/alerts").json();
        String prometheus = http.get("/actuator/prometheus").raw();

        assertThat(digits.path("requests").asInt()).as(digits.toString()).isEqualTo(31);
        assertThat(digits.path("digits").asInt()).isEqualTo(40);
        assertThat(digits.path("latency_ms").path("count").asInt()).isEqualTo(31);
        assertThat(digits.path("latency_ms").path("p95").asDouble()).isPositive();
        assertThat(digits.path("uncertain_rate").asDouble()).isCloseTo((uncertain + batchUncertain) / 40.0,
                org.assertj.core.data.Offset.offset(0.0001));
        assertThat(digits.path("degraded_rate").asDouble()).isZero();
        assertThat(digits.path("fallback_rate").asDouble()).isZero();
        assertThat(digits.path("variants").path("int8").asInt()).isEqualTo(30);
        assertThat(digits.path("variants").path("fp32").asInt()).isEqualTo(1);
        assertThat(digits.path("version").asString()).isEqualTo("v1");
        assertThat(digits.path("accuracy").asString()).isEqualTo("below_held_out");
        assertThat(digits.path("feedback").asInt()).isEqualTo(30);
        assertThat(digits.path("live_accuracy").asDouble()).isZero();
        assertThat(digits.path("accuracy_drop").asDouble()).isGreaterThan(0.9);
        assertThat(summary.path("model_breakers").path("digits v1 int8").asString()).isEqualTo("CLOSED");
        assertThat(summary.path("model_breakers").path("digits v1 fp32").asString()).isEqualTo("CLOSED");
        assertThat(events).extracting(AlertEvent::rule).contains("digits-accuracy-drop")
                .doesNotContain("accuracy-drop");
        assertThat(alerts.path("firing").findValuesAsString("rule")).contains("digits-accuracy-drop")
                .doesNotContain("accuracy-drop");
        assertThat(prometheus)
                .contains("bulwark_accuracy_live{application=\"bulwark\",function=\"digits\"} 0.0")
                .contains("bulwark_accuracy_feedback{application=\"bulwark\",function=\"digits\"} 30.0")
                .contains("bulwark_breaker_open{application=\"bulwark\",function=\"digits\",model=\"digits v1 int8\"} 0.0")
                .contains("bulwark_alerts_firing{application=\"bulwark\",rule=\"digits-accuracy-drop\"} 1.0")
                .contains("bulwark_function_latency_seconds_count{application=\"bulwark\",function=\"digits\",status=\"2xx\"} 30")
                .contains("bulwark_digits_answers_total{application=\"bulwark\",degraded=\"false\",fallback=\"no\","
                        + "function=\"digits\",variant=\"int8\"} 30.0")
                .contains("bulwark_digits_answers_total{application=\"bulwark\",degraded=\"false\",fallback=\"no\","
                        + "function=\"digits_batch\",variant=\"fp32\"} 1.0");
        double uncertainCounted = prometheus.lines().filter(l -> l.startsWith("bulwark_digits_recognised_total{")
                && l.contains("result=\"uncertain\"")).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).sum();
        double digitsCounted = prometheus.lines().filter(l -> l.startsWith("bulwark_digits_recognised_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(digitsCounted).isEqualTo(40);
        assertThat(uncertainCounted).isEqualTo(uncertain + batchUncertain);
    }
}
