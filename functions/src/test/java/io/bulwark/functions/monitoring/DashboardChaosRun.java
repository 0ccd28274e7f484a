package io.bulwark.functions.monitoring;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.HttpClientSupport;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * Produces {@code docs/dashboard.png}: the app (LLM: a WireMock stand-in) under seeded traffic in four phases —
 * healthy, chaos (slow answers past the time limit, 503s, rate limits), outage, recovery — then a screenshot of
 * the dashboard in headless Chromium. Not a test: run it by hand with the command in the README ("Monitoring",
 * "Screenshot"); arguments: the PNG to write, and the length of a phase in seconds (40).
 * The traffic is seeded (42); latencies and the moments the breaker moves depend on the machine.
 */
public final class DashboardChaosRun {

    static final String CHAT = "/v1/chat/completions";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/dashboard.png");
        int phaseSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        WireMockServer llm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40));
        llm.start();
        healthy(llm);
        ConfigurableApplicationContext app = SpringApplication.run(BulwarkApplication.class,
                "--server.port=0", "--bulwark.llm.base-url=" + llm.baseUrl() + "/v1",
                "--bulwark.classifier.registry=target/chaos-run-models", "--bulwark.prediction-log.backend=none",
                "--bulwark.cache.semantic.enabled=false", "--bulwark.monitoring.bucket=2s",
                "--bulwark.monitoring.window=1m", "--bulwark.monitoring.evaluate-every=1s",
                "--bulwark.breaker.wait-in-open-state=15s", "--bulwark.monitoring.alerts.high-latency.above=1000");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        HttpClientSupport http = new HttpClientSupport(port);
        Random random = new Random(42);
        try {
            traffic(http, random, phaseSeconds, 0.0, 0.0);           // healthy
            chaos(llm);
            traffic(http, random, phaseSeconds, 0.25, 0.15);         // 25% slow, 15% failing
            llm.resetAll();
            llm.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(503)));
            traffic(http, random, phaseSeconds / 2, 0.0, 0.0);       // outage
            healthy(llm);
            traffic(http, random, phaseSeconds, 0.0, 0.0);           // recovery
            ChromeDriver browser = Chromium.start(1400, 1760);
            try {
                browser.get("http://127.0.0.1:" + port + "/dashboard");
                new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30))
                        .until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                                .executeScript("return window.bulwarkDashboard.updates > 0")));
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
                System.out.println("Wrote " + out);
                System.out.println(http.get("/metrics/summary").raw());
                System.out.println(http.get("/alerts").raw());
            } finally {
                browser.quit();
            }
        } finally {
            app.close();
            llm.stop();
        }
    }

    static String completion(String label) {
        return """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"sentiment\\": \\"%s\\", \\"confidence\\": 0.93}"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":60,"completion_tokens":10,"total_tokens":70}}""".formatted(label);
    }

    static void healthy(WireMockServer llm) {
        llm.resetAll();
        llm.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion("positive"))
                .withUniformRandomDelay(80, 350)));
    }

    static void chaos(WireMockServer llm) {
        healthy(llm);
        llm.stubFor(post(urlEqualTo(CHAT)).withRequestBody(containing("[slow]")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion("positive"))
                .withUniformRandomDelay(1300, 2500)));
        llm.stubFor(post(urlEqualTo(CHAT)).withRequestBody(containing("[fail]")).willReturn(aResponse().withStatus(503)));
    }

    /** About 8 requests a second for {@code seconds}: a third repeat an earlier text (exact-cache hits). */
    static void traffic(HttpClientSupport http, Random random, int seconds, double slow, double fail) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int n = 0;
        while (System.nanoTime() < end) {
            double r = random.nextDouble();
            String marker = r < slow ? " [slow]" : r < slow + fail ? " [fail]" : "";
            String text = random.nextDouble() < 0.33 && marker.isEmpty() ? "A repeated review " + random.nextInt(20)
                    : "Review " + random.nextLong() + marker;
            http.postJson("/sentiment", "{\"text\": \"" + text + "\"}");
            if (++n % 10 == 0) {
                http.postJson("/predict", "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0,"
                        + " \"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}");
            }
            LockSupport.parkNanos(120_000_000L); // pacing of the load, not a wait for a state
        }
    }
}
