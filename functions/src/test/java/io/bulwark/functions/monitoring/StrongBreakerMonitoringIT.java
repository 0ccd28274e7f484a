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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default two models (cheap gpt-4o-mini, strong gpt-4o, the cost router on) in the running app, with a WireMock
 * LLM that answers for the cheap model and fails (503) for the strong one: once the strong model's breaker opens,
 * every monitoring surface says so by model — the summary, readiness, the Prometheus gauges and the
 * {@code breaker-open} alert, and the dashboard in headless Chromium — while the cheap model's breaker stays closed
 * and keeps answering. The rules' schedule is an hour: the test evaluates them itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.breaker.sliding-window-size=4",
        "bulwark.breaker.minimum-number-of-calls=4",
        "bulwark.breaker.wait-in-open-state=10m",
        "bulwark.cache.semantic.enabled=false",
        // the router stays on (it is what sends complex texts to the strong model); above 1 the local model never
        // answers first, so the plain texts reach the cheap model
        "bulwark.router.local-confidence=1.01",
        "bulwark.monitoring.evaluate-every=1h",
        "bulwark.llm.timeout=5s",
        "bulwark.sentiment.deadline=10s",
        "bulwark.admin-token=" + MonitoringIT.TOKEN,
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrongBreakerMonitoringIT {

    static final String CHAT = "/v1/chat/completions";
    static final String CHEAP = "gpt-4o-mini";
    static final String STRONG = "gpt-4o";
    /** No negation, contrast or sarcasm cue: complexity below 0.5, so the router picks the cheap model. */
    static final String PLAIN = "Works well, arrived quickly";
    /** Sarcasm and contrast: complexity at least 0.7, so the router picks the strong model. */
    static final String SARCASTIC = "Oh great, it broke again, but the box is pretty";

    static final WireMockServer LLM = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        LLM.start();
        LLM.stubFor(post(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model", equalTo(CHEAP)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(MonitoringIT.completion())));
        LLM.stubFor(post(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model", equalTo(STRONG)))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"overloaded\"}}")));
    }

    @DynamicPropertySource
    static void llm(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.base-url", () -> LLM.baseUrl() + "/v1");
    }

    @AfterAll
    static void stop() {
        LLM.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    AlertEvaluator evaluator;

    Reply ask(String text) {
        return new HttpClientSupport(port).postJson("/sentiment", "{\"text\": \"" + text + " " + UUID.randomUUID() + "\"}");
    }

    @Test
    @Order(1)
    void should_show_the_strong_models_open_breaker_in_summary_readiness_gauges_and_alerts() {
        assertThat(ask(PLAIN).json().path("tier").asString()).isEqualTo("llm-cheap");
        // the breaker (window 4, 50 %) opens on the strong model's 4th failed call
        for (int i = 0; i < 4; i++) {
            assertThat(ask(SARCASTIC).json().path("fallback").asString()).isEqualTo("local_model");
        }
        LLM.verify(4, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model", equalTo(STRONG))));
        Reply cheapStillAnswers = ask(PLAIN);
        HttpClientSupport http = new HttpClientSupport(port);

        var events = evaluator.evaluate();
        JsonNode summary = http.get("/metrics/summary").json().path("sentiment");
        Reply readiness = http.request("GET", "/actuator/health/readiness", MonitoringIT.OPERATOR, null);
        String prometheus = http.get("/actuator/prometheus").raw();
        JsonNode alerts = http.get("/alerts").json();

        assertThat(cheapStillAnswers.json().path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(summary.path("breakers").path(STRONG).asString()).isEqualTo("OPEN");
        assertThat(summary.path("breakers").path(CHEAP).asString()).isEqualTo("CLOSED");
        assertThat(summary.path("breaker").asString()).as("the worst of them").isEqualTo("OPEN");

        assertThat(readiness.status()).as("the fallbacks still answer: still ready").isEqualTo(200);
        JsonNode sentiment = readiness.json().path("components").path("models").path("details").path("sentiment");
        assertThat(sentiment.path("breakers").path(STRONG).asString()).isEqualTo("OPEN");
        assertThat(sentiment.path("breakers").path(CHEAP).asString()).isEqualTo("CLOSED");
        assertThat(sentiment.path("breaker").asString()).isEqualTo("OPEN");

        assertThat(prometheus)
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o\",state=\"open\"} 1.0")
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o\",state=\"closed\"} 0.0")
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o-mini\",state=\"closed\"} 1.0")
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o-mini\",state=\"open\"} 0.0")
                .contains("bulwark_breaker_open{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o\"} 1.0")
                .contains("bulwark_breaker_open{application=\"bulwark\",function=\"sentiment\",model=\"gpt-4o-mini\"} 0.0")
                .contains("bulwark_alerts_firing{application=\"bulwark\",rule=\"breaker-open\"} 1.0");

        assertThat(events).extracting(AlertEvent::rule).containsExactly("breaker-open");
        assertThat(events.getFirst().message()).isEqualTo("An LLM's circuit breaker is open: its answers come from the"
                + " fallbacks (gpt-4o open; breaker_open = 1.0; rule: breaker_open(sentiment) > 0.5)");
        JsonNode firing = alerts.path("firing");
        assertThat(firing.findValuesAsString("rule")).containsExactly("breaker-open");
        assertThat(firing.get(0).path("detail").asString()).isEqualTo("gpt-4o open");
        assertThat(alerts.path("history").get(0).path("message").asString()).contains("(gpt-4o open;");
    }

    @Test
    @Order(2) // after the strong model's breaker opened
    void should_show_each_models_breaker_on_the_dashboard() throws Exception {
        ChromeDriver browser = Chromium.start(1400, 1600);
        try {
            browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=300");
            JavascriptExecutor js = browser;
            new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage("the page's first update")
                    .until(d -> Boolean.TRUE.equals(js.executeScript(
                            "return window.bulwarkDashboard && window.bulwarkDashboard.updates > 0")));

            // read in one script: the page redraws every 300 ms
            Object page = js.executeScript("""
                    const rows = Array.from(document.querySelectorAll('#kpi-breaker [data-model]'));
                    return {
                      rows: rows.map(r => r.dataset.model + '=' + r.dataset.state + ':' + r.innerText.trim()),
                      lines: window.bulwarkDashboard.charts.breaker.data.datasets.map(d => d.label),
                      strongLine: window.bulwarkDashboard.charts.breaker.data.datasets
                          .find(d => d.label === 'gpt-4o').data.at(-1),
                      alert: document.querySelector('#alerts-firing li[data-rule="breaker-open"]').innerText
                    };""");

            assertThat(page).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("rows", List.of("gpt-4o-mini=CLOSED:gpt-4o-mini closed", "gpt-4o=OPEN:gpt-4o open"))
                    .containsEntry("lines", List.of("gpt-4o-mini", "gpt-4o", "error rate %"))
                    .containsEntry("strongLine", 1L)
                    .containsEntry("alert", "breaker-open: breaker_open(sentiment) > 0.5 (value 1; gpt-4o open)");
            Path shot = Path.of("target", "dashboard-strong-breaker-it.png");
            Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(shot)).isGreaterThan(20_000);
        } finally {
            browser.quit();
        }
    }
}
