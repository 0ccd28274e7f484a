package io.bulwark.functions.monitoring;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The alert webhook against a real HTTP server (WireMock) on a loopback port. */
class WebhookSinkIT {

    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    final JsonMapper json = JsonMapper.builder().build();
    final AlertEvent firing = new AlertEvent(Instant.parse("2026-11-23T12:00:00Z"), "high-latency", "firing",
            "latency_p95_ms(sentiment) > 2000", 2500.0, 120, "High latency detected");

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    WebhookSink sink(String path, Duration timeout) {
        return new WebhookSink(URI.create(server.baseUrl() + path), timeout, json);
    }

    @Test
    void should_post_the_transition_as_json_with_a_slack_style_text_line() throws Exception {
        server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));

        int status = sink("/hook", Duration.ofSeconds(2)).send(firing).get(5, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(200);
        server.verify(1, postRequestedFor(urlEqualTo("/hook")).withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"text": "[FIRING] high-latency: High latency detected",
                         "alert": {"at": "2026-11-23T12:00:00Z", "rule": "high-latency", "state": "firing",
                                   "condition": "latency_p95_ms(sentiment) > 2000", "value": 2500.0, "requests": 120,
                                   "message": "High latency detected"}}""")));
    }

    @Test
    void should_report_an_error_status_without_throwing() throws Exception {
        server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)));

        assertThat(sink("/hook", Duration.ofSeconds(2)).send(firing).get(5, TimeUnit.SECONDS)).isEqualTo(500);
    }

    @Test
    void should_give_up_on_a_slow_webhook_after_its_timeout() throws Exception {
        server.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        long start = System.nanoTime();

        int status = sink("/slow", Duration.ofMillis(300)).send(firing).get(5, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void should_not_throw_when_nothing_listens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WebhookSink nowhere = new WebhookSink(URI.create("http://127.0.0.1:" + port + "/hook"), Duration.ofSeconds(1), json);

        nowhere.accept(firing);
        assertThat(nowhere.send(firing).get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    }
}
