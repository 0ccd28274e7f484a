package io.bulwark.sentiment.anthropic;

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

/**
 * The real langchain4j Anthropic client against WireMock standing in for Anthropic's Messages API: every answer and
 * error typed as the OpenAI-compatible provider's are.
 */
class AnthropicSentimentProviderIT {

    static final String PATH = "/v1/messages";
    private static WireMockServer server;
    private AnthropicSentimentProvider provider;
    private final Deadline deadline = Deadline.after(Duration.ofSeconds(5), Ticker.system());

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // the first call loads the client's classes: give it time once, so that the time-outs below measure mapping
        server.stubFor(post(urlEqualTo(PATH)).willReturn(ok(message("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));
        AnthropicSentimentProvider.create(server.baseUrl() + "/v1", "sk-ant-test", "claude-3-5-haiku-latest",
                Duration.ofSeconds(30), 20, new SimulatedTime().clock())
                .classify("warm-up", Deadline.after(Duration.ofSeconds(30), Ticker.system()));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        provider = AnthropicSentimentProvider.create(server.baseUrl() + "/v1", "sk-ant-test",
                "claude-3-5-haiku-latest", Duration.ofSeconds(3), 20, new SimulatedTime().clock());
    }

    /** A Messages API answer whose text is {@code content}. */
    static String message(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-latest",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":44,"output_tokens":12}}""".formatted(escaped);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
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
    void should_classify_through_the_messages_api_with_the_system_prompt_and_report_usage() {
        answer(200, message("{\"sentiment\": \"negative\", \"confidence\": 0.88}"));

        Sentiment s = provider.classify("I hate it", deadline);

        assertThat(s).isEqualTo(new Sentiment(SentimentLabel.NEGATIVE, 0.88, new TokenUsage(44, 12)));
        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo("sk-ant-test"))
                .withHeader("anthropic-version", containing("20"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-3-5-haiku-latest")))
                .withRequestBody(matchingJsonPath("$.system"))
                .withRequestBody(containing("I hate it")));
    }

    @Test
    void should_map_429_with_retry_after_seconds_to_rate_limited_with_that_wait() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("retry-after", "30")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));

        assertThat(failure()).isInstanceOfSatisfying(RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(30)));
    }

    @Test
    void should_map_529_overloaded_and_500_to_unavailable_with_one_call_each() {
        answer(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertThat(failure()).isInstanceOf(Unavailable.class);
        answer(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"oops\"}}");
        assertThat(failure()).isInstanceOf(Unavailable.class);

        server.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_map_401_to_auth_and_400_to_invalid_request() {
        answer(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
        assertThat(failure()).isInstanceOf(AuthFailed.class);
        answer(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}");
        assertThat(failure()).isInstanceOf(InvalidRequest.class);
    }

    @Test
    void should_map_prose_and_a_cut_body_to_malformed_response() {
        answer(200, message("Positive, I would say."));
        assertThat(failure()).isInstanceOf(MalformedResponse.class);
        answer(200, message("{\"sentiment\": \"positive\", \"confidence\": 0.9}").substring(0, 70));
        assertThat(failure()).isInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_a_reset_connection_to_unavailable() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThat(failure()).isInstanceOf(Unavailable.class);
    }

    @Test
    void should_map_a_slow_answer_past_the_http_timeout_to_timed_out() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(ok(message("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))
                .withFixedDelay(6_000)));

        assertThat(failure()).isInstanceOf(TimedOut.class);
    }

    @Test
    void should_warm_up_against_a_canned_answer_without_calling_the_provider() {
        assertThat(provider.warmUp()).isPositive();

        server.verify(0, postRequestedFor(urlEqualTo(PATH)));
    }
}
