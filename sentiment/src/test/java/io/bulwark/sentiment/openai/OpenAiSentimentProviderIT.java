package io.bulwark.sentiment.openai;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.AuthFailed;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.InvalidRequest;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.TokenUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real langchain4j client against WireMock standing in for an OpenAI-compatible endpoint.
 */
class OpenAiSentimentProviderIT {

    private static final String PATH = "/v1/chat/completions";
    private static WireMockServer server;
    private OpenAiSentimentProvider provider;
    private final Deadline deadline = Deadline.after(Duration.ofSeconds(5), Ticker.system());

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // One call with a generous time-out first: on a loaded machine the first request's class loading took
        // over 4 s, past the 800 ms HTTP time-out the tests measure mappings with.
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));
        OpenAiSentimentProvider.create(server.baseUrl() + "/v1", "sk-test-secret", "gpt-4o-mini", Duration.ofSeconds(30),
                20, new SimulatedTime().clock()).classify("warm-up", Deadline.after(Duration.ofSeconds(30), Ticker.system()));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        provider = OpenAiSentimentProvider.create(server.baseUrl() + "/v1", "sk-test-secret", "gpt-4o-mini",
                Duration.ofSeconds(3), 20, new SimulatedTime().clock());
    }

    static String completion(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":41,"completion_tokens":9,"total_tokens":50}}""".formatted(escaped);
    }

    private void answer(int status, String body) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private BoundaryFailure failure() {
        try {
            provider.classify("I love it", deadline);
        } catch (BoundaryFailure f) {
            return f;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void should_classify_through_the_real_client_and_report_token_usage() {
        answer(200, completion("{\"sentiment\": \"positive\", \"confidence\": 0.97}"));

        Sentiment s = provider.classify("I love it", deadline);

        assertThat(s).isEqualTo(new Sentiment(SentimentLabel.POSITIVE, 0.97, new TokenUsage(41, 9)));
        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer sk-test-secret"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                .withRequestBody(containing("I love it")));
    }

    @Test
    void should_map_429_with_retry_after_ms_to_rate_limited_with_that_wait() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("retry-after-ms", "250").withHeader("Retry-After", "1")));

        assertThat(failure()).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofMillis(250)));
    }

    @Test
    void should_map_429_with_retry_after_seconds() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));

        assertThat(failure()).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(3)));
    }

    @Test
    void should_map_429_without_header_to_rate_limited_without_wait() {
        answer(429, "{\"error\":{\"message\":\"Rate limit reached\"}}");

        assertThat(failure()).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).isEmpty());
    }

    @Test
    void should_make_exactly_one_call_and_map_5xx_to_unavailable() {
        answer(503, "{\"error\":{\"message\":\"overloaded\"}}");
        assertThat(failure()).isInstanceOf(Unavailable.class);
        answer(500, "oops");
        assertThat(failure()).isInstanceOf(Unavailable.class);

        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_map_401_to_auth_without_the_key_in_the_message() {
        answer(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-secret\"}}");

        BoundaryFailure f = failure();

        assertThat(f).isInstanceOf(AuthFailed.class);
        assertThat(f.getMessage()).doesNotContain("sk-test-secret");
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void should_map_other_4xx_to_invalid_request() {
        answer(400, "{\"error\":{\"message\":\"bad\"}}");

        assertThat(failure()).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void should_map_a_reset_connection_to_unavailable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(failure()).isInstanceOf(Unavailable.class);
    }

    @Test
    void should_map_an_empty_response_to_unavailable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        assertThat(failure()).isInstanceOf(Unavailable.class);
    }

    @Test
    void should_map_a_body_cut_mid_way_to_a_typed_failure() {
        answer(200, completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}").substring(0, 60));

        assertThat(failure()).isInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_a_200_error_object_to_malformed_response() {
        answer(200, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");

        assertThat(failure()).isInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_prose_content_to_malformed_response() {
        answer(200, completion("I think this is positive!"));

        assertThat(failure()).isInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_a_slow_answer_past_the_http_timeout_to_timed_out() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(6_000)
                .withHeader("Content-Type", "application/json")
                .withBody(completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));

        assertThat(failure()).isInstanceOf(TimedOut.class);
    }

    @Test
    void should_give_up_at_the_deadline_it_is_given_on_the_calling_thread_and_call_once() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(6_000)
                .withHeader("Content-Type", "application/json")
                .withBody(completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));
        long start = System.nanoTime();

        assertThat(provider.honoursDeadline()).isTrue();
        Deadline short400 = Deadline.after(Duration.ofMillis(400), Ticker.system());
        assertThatThrownBy(() -> provider.classify("I love it", short400)).isInstanceOf(TimedOut.class);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("the 400 ms deadline, not the 3 s HTTP time-out")
                .isGreaterThanOrEqualTo(Duration.ofMillis(350)).isLessThan(Duration.ofMillis(2_500));
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_warm_up_the_client_without_calling_the_provider() {
        answer(200, completion("{\"sentiment\": \"negative\", \"confidence\": 0.8}"));

        Duration took = provider.warmUp();

        assertThat(took).isPositive();
        server.verify(0, postRequestedFor(urlEqualTo(PATH)));
        assertThat(provider.classify("I hate it", deadline).label()).isEqualTo(SentimentLabel.NEGATIVE);
        server.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }
}
