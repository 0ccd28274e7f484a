package io.bulwark.tools.chaos;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.chaos.experiment.Scenarios;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole load run against a stand-in runner on loopback that asks the load run's fake LLM (with seed 003's flaky mix)
 * for each text, with a 300 ms limit, and answers by the contract: the report breaks the latency down by what the
 * provider did to each request, with the sender's lag and the runner's own latency apart.
 */
class LoadModeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer runner;

    /** The stand-in: the LLM's answer within 300 ms is {@code llm-cheap}, anything else the local model's. */
    private URI standIn(int llmPort) throws IOException {
        HttpClient llm = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        runner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        runner.createContext("/actuator/metrics/", exchange -> {
            byte[] body = "{\"measurements\":[{\"value\":0}]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        runner.createContext("/sentiment", exchange -> {
            long start = System.nanoTime();
            String text = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("text").asString();
            String chat = JSON.writeValueAsString(Map.of("model", "gpt-4o-mini",
                    "messages", java.util.List.of(Map.of("role", "user", "content", text))));
            String tier = "local";
            try {
                HttpResponse<String> r = llm.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + llmPort + "/v1/chat/completions"))
                        .timeout(Duration.ofMillis(300)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode content = JSON.readTree(JSON.readTree(r.body()).path("choices").path(0).path("message")
                        .path("content").asString(""));
                if (r.statusCode() == 200 && content.path("sentiment").isString()) {
                    tier = "llm-cheap";
                }
            } catch (IOException | RuntimeException e) {
                // a time-out, a 429 or a broken answer: the local model answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean local = tier.equals("local");
            byte[] body = JSON.writeValueAsBytes(Map.of("sentiment", "neutral", "tier", tier, "degraded", local,
                    "fallback", local ? "local_model" : "none", "latency_ms", (System.nanoTime() - start) / 1_000_000));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        runner.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        runner.start();
        return URI.create("http://127.0.0.1:" + runner.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.stop(0);
        }
    }

    @Test
    void should_break_the_latency_down_by_what_the_provider_did_to_each_request(@TempDir Path dir) throws IOException {
        int llmPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            llmPort = free.getLocalPort();
        }
        URI target = standIn(llmPort);
        Path report = dir.resolve("load.md");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = LoadMode.run(new LoadMode.Options(Scenarios.named("flaky-mix").orElseThrow(), 40,
                        Duration.ofMillis(1500), 42, report, target, llmPort, Duration.ofSeconds(2),
                        Duration.ofMillis(500), 4),
                "chaos --rate 40", new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(status).as(err.toString()).isIn(0, 1);
        String md = Files.readString(report);
        assertThat(md).contains("offered 60 requests at 40 req/s", "the sender (4 keep-alive connections)",
                "of which the sender's lag (due time to sent time)", "the runner's own `latency_ms`",
                "| tier (fallback) ← provider calls | requests | share |",
                // 20% of the calls hang: the stand-in gives up after 300 ms and the local model answers
                "| local (local_model) ← timeout |", "| llm-cheap (none) ← ok |");
        assertThat(md).contains("- holds `no-5xx`", "- holds `well-formed`");
    }
}
