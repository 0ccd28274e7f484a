package io.bulwark.sentiment.openai;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.Unavailable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The OpenAI-compatible embedder: the real langchain4j client against WireMock.
 */
class OpenAiEmbedderIT {

    private static final String PATH = "/v1/embeddings";
    private static WireMockServer server;
    private OpenAiEmbedder embedder;

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
    void reset() {
        server.resetAll();
        embedder = OpenAiEmbedder.create(server.baseUrl() + "/v1", "sk-test-secret", "text-embedding-3-small", 3,
                Duration.ofSeconds(5), new SimulatedTime().clock());
    }

    private static void answers(String vector) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"object":"list","model":"text-embedding-3-small",
                         "data":[{"object":"embedding","index":0,"embedding":%s}],
                         "usage":{"prompt_tokens":5,"total_tokens":5}}""".formatted(vector))));
    }

    @Test
    void should_return_the_endpoints_vector_scaled_to_unit_length() {
        answers("[3.0, 0.0, 4.0]");

        float[] v = embedder.embed("Great phone");

        assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(v[1]).isZero();
        assertThat(v[2]).isCloseTo(0.8f, within(1e-6f));
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer sk-test-secret"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("text-embedding-3-small"))));
    }

    @Test
    void should_report_a_vector_of_the_wrong_dimension_as_a_malformed_response() {
        answers("[1.0, 2.0]");

        assertThatThrownBy(() -> embedder.embed("Great phone")).isInstanceOf(MalformedResponse.class)
                .hasMessageContaining("2 dimensions, not 3");
    }

    @Test
    void should_report_a_zero_vector_as_a_malformed_response() {
        answers("[0.0, 0.0, 0.0]");

        assertThatThrownBy(() -> embedder.embed("Great phone")).isInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_http_failures_like_the_chat_provider() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
        assertThatThrownBy(() -> embedder.embed("x")).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(2)));

        server.resetAll();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> embedder.embed("x")).isInstanceOf(Unavailable.class);
    }
}
