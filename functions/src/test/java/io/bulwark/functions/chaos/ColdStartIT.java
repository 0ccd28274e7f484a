package io.bulwark.functions.chaos;

import io.bulwark.tools.chaos.ChaosExperiments;
import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.Observation;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.sentiment.SentimentLabel;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by the chaos suite over HTTP: against a healthy LLM, the first request to a freshly started runner
 * timed out twice (the cold client's first call took 1.3 s, past the 1.2 s limit), was answered degraded,
 * and two such failures plus one more opened the breaker. The runner now warms its client up at start-up.
 * This starts the packaged runner as its own process, so that it really is cold.
 */
class ColdStartIT {

    @Test
    void should_answer_from_the_llm_from_the_first_request_of_a_fresh_runner() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FakeLlmServer llm = FakeLlmServer.start(0, new FaultInjector(FaultPlan.none(), 1),
                LabelSource.constant(SentimentLabel.NEUTRAL), Clock.systemUTC())) {
            Process runner = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    Path.of("target/bulwark.jar").toAbsolutePath().toString(), "--server.port=" + port,
                    "--bulwark.llm.base-url=" + llm.baseUrl(),
                    // The first request must go to the LLM (the cold client), not to the router's local model.
                    "--bulwark.router.enabled=false",
                    // The experiment reads the breaker gauge, an operator page: this test is about the cold client.
                    "--bulwark.operator.require-token=false")
                    .redirectErrorStream(true).redirectOutput(Path.of("target/cold-start-runner.log").toFile()).start();
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitUp(base);

                Summary s = ChaosExperiments.overHttp(Scenarios.named("steady").orElseThrow()
                                .withSpan(Duration.ofSeconds(3)), 12, 1, base, llm, ChaosExperiments.DEADLINE,
                        ChaosExperiments.defaultOpensWithin(), "cold:", i -> {
                        });

                List<Observation> obs = s.run().observations();
                assertThat(obs.getFirst().tier()).as("the first request").isEqualTo("llm-cheap");
                assertThat(s.holds()).as(s.checks().stream().map(c -> c.verdict() + " " + c.name() + ": " + c.detail())
                        .collect(Collectors.joining("\n"))).isTrue();
            } finally {
                runner.destroy();
                runner.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitUp(URI base) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the runner did not start within 90 s; see target/cold-start-runner.log");
    }
}
