package io.bulwark.functions.monitoring;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitoring through the running app: real traffic to {@code /sentiment} against a WireMock LLM shows up in
 * {@code /metrics/summary} and {@code /actuator/prometheus}; after the LLM starts failing, the alert rules fire
 * in {@code /alerts} and the webhook (a second WireMock) receives the transitions. The schedule is set to an
 * hour: the test evaluates the rules itself, so it never waits for a timer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.breaker.sliding-window-size=4",
        "bulwark.breaker.minimum-number-of-calls=4",
        "bulwark.breaker.wait-in-open-state=10m",
        "bulwark.cache.semantic.enabled=false",
        // the outage must reach the LLM: with the router on, the local model answers the texts it is sure of
        "bulwark.router.enabled=false",
        "bulwark.monitoring.evaluate-every=1h",
        // a cold first LLM call on a busy machine may pass 1.2 s: here a time-out would be an error the test
        // did not inject
        "bulwark.llm.timeout=5s",
        "bulwark.sentiment.deadline=10s",
        "bulwark.admin-token=" + MonitoringIT.TOKEN,
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    /** The admin token: the operator's bearer on the actuator shows the health details. */
    static final String TOKEN = "monitoring-admin-token";
    static final java.util.Map<String, String> OPERATOR = java.util.Map.of("Authorization", "Bearer " + TOKEN);

    static final String CHAT = "/v1/chat/completions";
    static final WireMockServer LLM = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    static final WireMockServer HOOK = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        LLM.start();
        HOOK.start();
        HOOK.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.base-url", () -> LLM.baseUrl() + "/v1");
        registry.add("bulwark.monitoring.webhook-url", () -> HOOK.baseUrl() + "/hook");
    }

    @AfterAll
    static void stop() {
        LLM.stop();
        HOOK.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    AlertEvaluator evaluator;

    HttpClientSupport http() {
        return new HttpClientSupport(port);
    }

    static void llmAnswers(int status, String body) {
        LLM.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    static String completion() {
        return """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"sentiment\\": \\"positive\\", \\"confidence\\": 0.9}"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":60,"completion_tokens":10,"total_tokens":70}}""";
    }

    Reply ask(String text) {
        return http().postJson("/sentiment", "{\"text\": \"" + text + "\"}");
    }

    @Test
    @Order(1)
    void should_summarise_real_traffic_by_function_tier_cache_cost_and_model() {
        llmAnswers(200, completion());
        String text = "Works well " + UUID.randomUUID();
        for (int i = 0; i < 9; i++) {
            assertThat(ask(text + i).status()).isEqualTo(200);
        }
        ask(text + 0); // an exact-cache hit
        http().postJson("/sentiment", "{}"); // a 400
        http().get("/models");

        JsonNode s = http().get("/metrics/summary").json();

        JsonNode sentiment = s.path("functions").path("sentiment");
        assertThat(sentiment.path("requests").asInt()).isEqualTo(11);
        assertThat(sentiment.path("status").path("4xx").asInt()).isEqualTo(1);
        assertThat(sentiment.path("latency_ms").path("p95").asDouble()).isPositive();
        assertThat(sentiment.path("latency_ms").path("p50").asDouble())
                .isLessThanOrEqualTo(sentiment.path("latency_ms").path("p95").asDouble());
        assertThat(sentiment.path("error_rate").asDouble()).isZero();
        assertThat(s.path("functions").path("models").path("requests").asInt()).isEqualTo(1);
        JsonNode st = s.path("sentiment");
        assertThat(st.path("tiers").path("llm-cheap").asInt()).isEqualTo(9);
        assertThat(st.path("tiers").path("cache").asInt()).isEqualTo(1);
        assertThat(st.path("cache_hit_rate").path("exact").asDouble()).isEqualTo(0.1);
        // 9 LLM answers at $0.000015 each (60 in, 10 out at $0.15/$0.60 per 1M)
        assertThat(st.path("cost").path("total_usd").asDouble()).isEqualTo(0.000135);
        assertThat(st.path("cost").path("per_1000_requests_usd").asDouble()).isEqualTo(0.0135);
        assertThat(st.path("breaker").asString()).isEqualTo("CLOSED");
        assertThat(st.path("breakers").path("gpt-4o-mini").asString()).isEqualTo("CLOSED");
        assertThat(s.path("models").path("sentiment").path("gpt-4o-mini").asInt()).isEqualTo(10);
        assertThat(evaluator.evaluate()).isEmpty();
    }

    @Test
    @Order(2)
    void should_show_health_details_to_the_operator_only_and_the_status_to_anyone() {
        Reply anyone = http().get("/actuator/health");
        Reply wrongToken = http().request("GET", "/actuator/health", java.util.Map.of("Authorization", "Bearer x"), null);
        Reply probe = http().get("/actuator/health/readiness");
        Reply operator = http().request("GET", "/actuator/health", OPERATOR, null);

        assertThat(anyone.status()).isEqualTo(200);
        assertThat(anyone.json().path("status").asString()).isEqualTo("UP");
        assertThat(anyone.json().has("components")).as(anyone.raw()).isFalse();
        assertThat(anyone.raw()).doesNotContain("diskSpace").doesNotContain("breaker").doesNotContain("path");
        assertThat(wrongToken.json().has("components")).as(wrongToken.raw()).isFalse();
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.raw()).doesNotContain("models");
        assertThat(operator.json().path("components").path("diskSpace").path("details").has("path"))
                .as(operator.raw()).isTrue();
        assertThat(operator.json().path("components").path("models").path("details").path("classifier")
                .path("serving").asString()).isEqualTo("v1");
    }

    @Test
    @Order(2)
    void should_expose_the_meters_to_prometheus_and_the_models_in_readiness() {
        Reply prometheus = http().get("/actuator/prometheus");
        Reply readiness = http().request("GET", "/actuator/health/readiness", OPERATOR, null);

        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw())
                .contains("bulwark_function_latency_seconds_bucket{application=\"bulwark\",function=\"sentiment\",status=\"2xx\",le=")
                .contains("bulwark_function_latency_seconds_count{application=\"bulwark\",function=\"sentiment\",status=\"2xx\"} 10")
                .contains("bulwark_sentiment_answers_total{application=\"bulwark\",cache=\"none\",fallback=\"none\",tier=\"llm-cheap\"} 9.0")
                .contains("bulwark_sentiment_answers_total{application=\"bulwark\",cache=\"exact\",fallback=\"none\",tier=\"cache\"} 1.0")
                .contains("bulwark_sentiment_cost_usd_sum{application=\"bulwark\",model=\"gpt-4o-mini\"} 1.35E-4")
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o-mini\",state=\"closed\"} 1.0")
                .contains("bulwark_model_answers_total{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o-mini\"} 10.0")
                .contains("bulwark_alerts_firing{application=\"bulwark\",rule=\"high-latency\"} 0.0")
                .contains("jvm_memory_used_bytes{application=\"bulwark\",area=\"heap\"")
                .contains("process_cpu_usage{application=\"bulwark\"}");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
        assertThat(readiness.json().path("components").path("models").path("status").asString()).isEqualTo("UP");
        assertThat(readiness.json().path("components").path("models").path("details").path("classifier")
                .path("serving").asString()).isEqualTo("v1");
        assertThat(readiness.json().path("components").path("models").path("details").path("sentiment")
                .path("breakers").path("gpt-4o-mini").asString()).isEqualTo("CLOSED");
    }

    @Test
    @Order(5) // after the outage: bulwark_function_errors_total exists once an error happened
    void should_only_query_meters_the_app_exposes_in_the_grafana_dashboard() throws Exception {
        String grafana = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana-dashboard.json"));
        String prometheus = http().get("/actuator/prometheus").raw();
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(bulwark_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+|system_[a-z_]+)")
                .matcher(grafana);
        while (m.find()) {
            names.add(m.group(1));
        }

        assertThat(names).contains("bulwark_function_latency_seconds_bucket", "bulwark_sentiment_answers_total",
                "bulwark_sentiment_cost_usd_sum", "bulwark_breaker_state", "bulwark_alerts_firing");
        assertThat(names).allSatisfy(name -> assertThat(prometheus).as(name).contains("\n" + name + "{"));
        assertThat(grafana).contains("\"title\": \"Sentiment latency (ms)\"", "\"title\": \"Answers by tier (req/s)\"",
                "\"title\": \"Cache hit rate\"", "\"title\": \"Cost (USD)\"", "\"title\": \"Breakers and error rate\"",
                "\"title\": \"Alerts firing\"");
    }

    @Test
    @Order(3)
    void should_serve_the_dashboard_and_its_chart_library_beside_the_functions() {
        Reply page = http().get("/dashboard");
        Reply chartJs = http().get("/webjars/chart.js/dist/chart.umd.js");
        Reply data = http().get("/metrics/dashboard");
        Reply postToPage = http().postJson("/dashboard", "{}");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw()).contains("<canvas id=\"chart-latency\">").contains("/webjars/chart.js/dist/chart.umd.js")
                .doesNotContain("https://");
        assertThat(chartJs.status()).isEqualTo(200);
        assertThat(chartJs.raw()).contains("Chart.js v4.5.1");
        assertThat(data.json().path("series").isArray()).isTrue();
        assertThat(data.json().path("recommendations").size()).isPositive();
        assertThat(data.json().path("jvm").path("heap_used_mb").asDouble()).isPositive();
        assertThat(postToPage.status()).isEqualTo(405);
        assertThat(postToPage.json().path("error").asString()).isEqualTo("method_not_allowed");
        assertThat(ask("still served " + UUID.randomUUID()).json().path("tier").asString()).isEqualTo("llm-cheap");
    }

    @Test
    @Order(4)
    void should_fire_breaker_and_error_rate_alerts_after_llm_outage_and_post_them_to_the_webhook() {
        llmAnswers(503, "{\"error\": {\"message\": \"overloaded\"}}");
        for (int i = 0; i < 12; i++) {
            Reply r = ask("outage " + i + " " + UUID.randomUUID());
            assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
        }

        var events = evaluator.evaluate();

        assertThat(events).extracting(AlertEvent::rule).containsExactlyInAnyOrder("high-error-rate", "breaker-open");
        JsonNode alerts = http().get("/alerts").json();
        assertThat(alerts.path("firing").findValuesAsString("rule")).containsExactlyInAnyOrder("high-error-rate", "breaker-open");
        assertThat(alerts.path("history").get(0).path("state").asString()).isEqualTo("firing");
        JsonNode summary = http().get("/metrics/summary").json().path("sentiment");
        assertThat(summary.path("breaker").asString()).isEqualTo("OPEN");
        // the breaker (window 4, 50 %) opens after 2 failed calls; the calls after it fail fast as circuit_open
        assertThat(summary.path("failures").path("unavailable").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(summary.path("failures").path("circuit_open").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(summary.path("fallbacks").path("local_model").asInt()).isEqualTo(12);
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> HOOK.verify(2,
                postRequestedFor(urlEqualTo("/hook")).withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(matchingJsonPath("$.alert[?(@.state == 'firing')]"))));
        HOOK.verify(1, postRequestedFor(urlEqualTo("/hook"))
                .withRequestBody(matchingJsonPath("$.text", equalTo("[FIRING] breaker-open: An LLM's circuit breaker"
                        + " is open: its answers come from the fallbacks (gpt-4o-mini open; breaker_open = 1.0; rule:"
                        + " breaker_open(sentiment) > 0.5)"))));
        assertThat(http().get("/actuator/prometheus").raw())
                .contains("bulwark_alerts_firing{application=\"bulwark\",rule=\"breaker-open\"} 1.0")
                .contains("bulwark_function_errors_total{application=\"bulwark\",function=\"sentiment\",reason=\"fallback\"} 12.0");
    }
}
