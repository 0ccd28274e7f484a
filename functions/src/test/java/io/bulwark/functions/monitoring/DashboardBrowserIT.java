package io.bulwark.functions.monitoring;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.HttpClientSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against the running app: the page loads with its chart library
 * from the app, the charts fill after traffic, and an alert appears after the LLM (WireMock) starts failing.
 * Then the drift panel turns to drift once penguins 800 g heavier are predicted.
 * Every wait is for a state of the page, with a limit; nothing sleeps.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.monitoring.bucket=1s",
        "bulwark.monitoring.evaluate-every=250ms",
        "bulwark.breaker.sliding-window-size=4",
        "bulwark.breaker.minimum-number-of-calls=4",
        "bulwark.breaker.wait-in-open-state=10m",
        "bulwark.cache.semantic.enabled=false",
        // the outage must reach the LLM: with the router on, the local model answers the texts it is sure of
        "bulwark.router.enabled=false",
        "bulwark.llm.timeout=5s",
        "bulwark.sentiment.deadline=10s",
})
class DashboardBrowserIT {

    static final WireMockServer LLM = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        LLM.start();
    }

    @DynamicPropertySource
    static void llm(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.base-url", () -> LLM.baseUrl() + "/v1");
    }

    @AfterAll
    static void stopLlm() {
        LLM.stop();
    }

    @LocalServerPort
    int port;
    ChromeDriver browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Waits up to {@code seconds} for {@code script} to return true. */
    void await(int seconds, String what, String script) {
        new WebDriverWait(browser, Duration.ofSeconds(seconds)).withMessage(what)
                .until(d -> Boolean.TRUE.equals(js(script)));
    }

    /**
     * The element's rendered text, read in one script: the page redraws every 300 ms here, and a WebElement found
     * before a redraw goes stale before its text is read.
     */
    String text(String id) {
        return String.valueOf(js("return document.getElementById('" + id + "').innerText")).strip();
    }

    void send(int n, String prefix) {
        HttpClientSupport http = new HttpClientSupport(port);
        for (int i = 0; i < n; i++) {
            assertThat(http.postJson("/sentiment", "{\"text\": \"" + prefix + " " + UUID.randomUUID() + "\"}").status())
                    .isEqualTo(200);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void should_load_then_chart_traffic_then_show_the_alert_after_the_llm_fails() throws Exception {
        browser = Chromium.start(1400, 1600);
        browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=300");

        assertThat(browser.getTitle()).isEqualTo("Bulwark dashboard");
        await(30, "the page's first update", "return window.bulwarkDashboard && window.bulwarkDashboard.updates > 0");
        assertThat(js("return typeof Chart")).as("Chart.js served by the app").isEqualTo("function");
        assertThat(text("kpi-requests")).isEqualTo("0");
        assertThat(js("return window.bulwarkDashboard.charts.latency.data.labels.length")).isEqualTo(0L);
        assertThat(text("alerts-firing")).isEqualTo("none");

        LLM.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(MonitoringIT.completion())));
        send(20, "Lovely");

        await(30, "20 requests on the page", "return document.getElementById('kpi-requests').textContent === '20'");
        await(10, "a p95 point in the latency chart",
                "return window.bulwarkDashboard.charts.latency.data.datasets[1].data.some(v => v > 0)");
        assertThat(js("return window.bulwarkDashboard.charts.tiers.data.datasets"
                + ".find(d => d.label === 'llm-cheap').data.reduce((a, b) => a + b, 0)")).isEqualTo(20L);
        assertThat(js("return window.bulwarkDashboard.charts.latency.getDatasetMeta(1).data.length")).as("points drawn")
                .isNotEqualTo(0L);
        assertThat(text("kpi-breaker")).isEqualTo("gpt-4o-mini closed");
        assertThat(text("kpi-cost-1000")).isEqualTo("$0.0150");
        await(10, "20 answers in the providers panel",
                "return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]')?.dataset.answers === '20'");
        assertThat(js("return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]').dataset.breaker"))
                .isEqualTo("CLOSED");
        assertThat(js("return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]').dataset.calls"))
                .isEqualTo("20");
        assertThat(js("return window.bulwarkProviders.last.models.length")).isEqualTo(1L);
        assertThat(js("return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]').dataset.retryTokens"))
                .as("a full retry budget").isEqualTo("10");
        assertThat(text("provider-hedges")).isEqualTo("hedged requests: off");
        Object functions = js("return Array.from(document.querySelectorAll('#functions tbody td:first-child'))"
                + ".map(e => e.innerText.trim())");
        assertThat(functions).isEqualTo(List.of("sentiment"));

        LLM.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503)));
        send(12, "Outage");

        await(30, "the breaker-open alert in the list of firing alerts",
                "return !!document.querySelector('#alerts-firing li[data-rule=\"breaker-open\"]')");
        await(10, "the firing transition in the alert history",
                "return !!document.querySelector('#alert-history tr[data-rule=\"breaker-open\"][data-state=\"firing\"]')");
        // the page may have drawn the alert from a refresh made while the outage requests were still arriving
        await(10, "all 32 requests on the page", "return document.getElementById('kpi-requests').textContent === '32'");
        assertThat(text("kpi-error-rate")).isEqualTo("38%"); // 12 of 32 answers needed a fallback
        assertThat(text("kpi-breaker")).isEqualTo("gpt-4o-mini open");
        await(10, "the open breaker in the providers panel",
                "return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]')?.dataset.breaker === 'OPEN'");
        // a 503 is not retried: 3 failed calls of the 4-call window (75%, over the default 70%) open the breaker,
        // the other 9 requests are refused without a call
        assertThat(js("return JSON.parse(document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]')"
                + ".dataset.failures)")).isEqualTo(java.util.Map.of("unavailable", 3L, "circuit_open", 9L));
        assertThat(js("return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]').dataset.answers"))
                .isEqualTo("20");
        assertThat(js("return document.querySelector('#providers tr[data-model=\"gpt-4o-mini\"]').dataset.retryTokens"))
                .as("one token per failed call; the refused ones cost nothing").isEqualTo("7");
        assertThat(text("recommendations"))
                .contains("The circuit breaker of gpt-4o-mini is open");

        Path shot = Path.of("target", "dashboard-browser-it.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isGreaterThan(20_000);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void should_show_the_serving_versions_drift_per_feature() {
        browser = Chromium.start(1400, 1600);
        browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=300");
        await(30, "the drift panel's first verdict", "return !!document.getElementById('drift-summary').dataset.verdict");
        assertThat(text("drift-summary")).startsWith("v1: ");

        HttpClientSupport http = new HttpClientSupport(port);
        java.util.List<io.bulwark.models.penguins.Penguin> penguins = io.bulwark.models.penguins.PenguinModelType.bundled()
                .data().rows().stream().map(io.bulwark.models.train.Labelled::input).toList();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 60; i++) { // the default window gives a verdict from 50 inputs
            assertThat(http.postJson("/predict", io.bulwark.functions.classifier.DriftIT.json(
                    penguins.get(random.nextInt(penguins.size())), 800)).status()).isEqualTo(200);
        }

        await(30, "drift on the panel", "return document.getElementById('drift-summary').dataset.verdict === 'drift'");
        assertThat(text("drift-summary")).contains("drifted: body_mass_g");
        assertThat(js("return document.querySelector('#drift tr[data-feature=\"body_mass_g\"]').dataset.verdict"))
                .isEqualTo("drift");
        assertThat(js("return document.querySelectorAll('#drift tbody tr').length")).isEqualTo(6L);
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void should_show_the_digit_figures_and_the_version_breakers() {
        browser = Chromium.start(1400, 1600);
        browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=300");
        await(30, "the page's first update", "return window.bulwarkDashboard && window.bulwarkDashboard.updates > 0");

        HttpClientSupport http = new HttpClientSupport(port);
        java.util.List<io.bulwark.models.train.Labelled<io.bulwark.models.digits.DigitImage>> test =
                io.bulwark.models.digits.DigitData.bundled().split(io.bulwark.models.digits.DigitData.TEST_FRACTION,
                        io.bulwark.models.digits.DigitData.SPLIT_SEED).test();
        for (int i = 0; i < 6; i++) {
            float[] ink = test.get(i * 100).input().ink();
            StringBuilder pixels = new StringBuilder("[");
            for (int p = 0; p < ink.length; p++) {
                pixels.append(p == 0 ? "" : ",").append(Math.round(ink[p] * 255));
            }
            assertThat(http.postJson("/digits", "{\"pixels\": " + pixels + "]}").status()).isEqualTo(200);
        }

        await(30, "6 digit requests in the digits panel",
                "const td = document.querySelector('#digits tbody td'); return !!td && td.innerText.trim() === '6'");
        Object cells = js("return Array.from(document.querySelectorAll('#digits tbody td')).map(e => e.innerText.trim())");
        assertThat(cells).asList().element(1).isEqualTo("6"); // digits
        assertThat(cells).asList().element(7).isEqualTo("int8 × 6"); // variants
        assertThat(cells).asList().element(8).isEqualTo("v1"); // version
        assertThat(cells).asList().element(11).isEqualTo("insufficient feedback");
        await(10, "the digit variant's breaker in the version breakers",
                "return !!document.querySelector('#model-breakers span[data-model=\"digits v1 int8\"]"
                        + "[data-state=\"CLOSED\"]')");
        // the previous test's predictions went through the penguin version's breaker
        assertThat(js("return !!document.querySelector('#model-breakers span[data-model=\"penguins v1\"]')"))
                .isEqualTo(true);
        assertThat(text("model-breakers")).contains("digits v1 int8 closed");
    }
}
