package io.bulwark.tools.simulate;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.costing.PriceTable;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.simulate.EndpointMeasurement;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.tools.BulwarkTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code simulate --llm-base-url} against a WireMock OpenAI-compatible endpoint on loopback. */
class EndpointModeTest {

    private static final String SCENARIO = """
            name: endpoint
            seed: 5
            traffic: {requests_per_day: 100000}
            tokens: {input: {mean: 150}, output: {mean: 20}}
            reference: gpt-4o-mini
            models:
              gpt-4o-mini: {latency_ms: {p50: 300, p95: 600}}
            strategies:
              - {name: x, cheap: gpt-4o-mini}
            """;
    private static final String ANSWER = """
            {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant",
                         "content":"{\\"sentiment\\": \\"positive\\", \\"confidence\\": 0.9}"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":41,"completion_tokens":9,"total_tokens":50}}""";

    private static WireMockServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void answerPositiveAfter40Ms() {
        server.resetAll();
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ANSWER).withFixedDelay(40)));
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return BulwarkTools.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void should_measure_usage_latency_and_accuracy_and_scale_the_month_from_the_sample() throws Exception {
        EndpointMeasurement.Result r = SimulateCommand.measure(Scenario.parse(SCENARIO, Path.of(".")),
                server.baseUrl() + "/v1", "gpt-4o-mini", "sk-test", 12, Duration.ofSeconds(5), PriceTable.defaults(),
                Simulator.Progress.NONE);

        assertThat(r.calls()).hasSize(12);
        assertThat(r.inputTokens()).isEqualTo(12 * 41);
        assertThat(r.outputTokens()).isEqualTo(12 * 9);
        // gpt-4o-mini: 41 × $0.15 + 9 × $0.60 per 1M = $0.00001155 a call; 3,000,000 a month = $34.65, and every call
        // cost the same, so the interval has no width
        assertThat(r.meanCostUsd()).isCloseTo(0.00001155, within(1e-15));
        assertThat(r.monthlyUsd()).isCloseTo(34.65, within(1e-9));
        assertThat(r.monthlyLowUsd()).isCloseTo(34.65, within(1e-9));
        assertThat(r.monthlyHighUsd()).isCloseTo(34.65, within(1e-9));
        assertThat(r.p50Ms()).as("WireMock waits 40 ms").isGreaterThanOrEqualTo(40);
        long positives = r.calls().stream().filter(c -> c.label() == SentimentLabel.POSITIVE).count();
        assertThat(r.accuracy()).as("always 'positive': right on the positive sentences").isCloseTo(positives / 12.0,
                within(1e-12));
        assertThat(r.accuracyLow()).isLessThan(r.accuracy());
        assertThat(r.accuracyHigh()).isGreaterThan(r.accuracy());
    }

    @Test
    void should_never_call_more_than_the_request_budget_and_write_the_report(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, SCENARIO);

        int code = run("--scenario", scenario.toString(), "--report", dir.resolve("real.md").toString(),
                "--llm-base-url", server.baseUrl() + "/v1", "--max-requests", "7");

        assertThat(code).isEqualTo(0);
        server.verify(7, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(Files.readString(dir.resolve("real.md"))).contains("request budget 7", "$0.00001155",
                "95% interval");
        assertThat(Files.readString(dir.resolve("real.html"))).contains("<table>", "$0.00001155");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("gpt-4o-mini at ", "7 calls");
    }

    @Test
    void should_exit_2_saying_what_to_check_when_the_url_does_not_answer(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, SCENARIO);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }

        int code = run("--scenario", scenario.toString(), "--report", dir.resolve("real.md").toString(),
                "--llm-base-url", "http://127.0.0.1:" + closed + "/v1", "--llm-timeout", "3");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not answer", "check --llm-base-url")
                .doesNotContain("\tat ", "Exception:");
        assertThat(run("--scenario", scenario.toString(), "--report", dir.resolve("real.md").toString(),
                "--llm-base-url", "not a url")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not an http(s) URL");
    }
}
