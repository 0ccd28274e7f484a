package io.bulwark.chaos.contract;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The OpenAI-compatible provider, its real langchain4j client against WireMock on a random loopback port,
 * in each situation by the HTTP answer an endpoint gives.
 *
 * <p>It does not read the deadline it is given (langchain4j's chat call takes no per-call time-out): its own
 * bound is its HTTP time-out, and in the chain the boundary's time limit cancels it at the deadline. The
 * fixtures set the HTTP time-out to the deadline, as a caller without a time limit must.
 */
class OpenAiSentimentProviderContractIT extends SentimentProviderContract {

    private static final String PATH = "/v1/chat/completions";
    private static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // One call with a generous time-out first: a cold client (class loading) can take longer than the deadline.
        server.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, completion(content(SentimentLabel.NEUTRAL)))));
        OpenAiSentimentProvider.create(server.baseUrl() + "/v1", "sk-test", MODEL, Duration.ofSeconds(30), 20,
                Clock.systemUTC()).classify("warm-up", Deadline.after(Duration.ofSeconds(30), Ticker.system()));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String completion(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":41,"completion_tokens":9,"total_tokens":50}}""".formatted(MODEL, escaped);
    }

    /** Message content by the output contract. */
    private static String content(SentimentLabel label) {
        return "{\"sentiment\": \"" + label.wire() + "\", \"confidence\": 0.9}";
    }

    private static Fixture answered(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(answer));
        return new Fixture(OpenAiSentimentProvider.create(server.baseUrl() + "/v1", "sk-test", MODEL, DEADLINE, 20,
                Clock.systemUTC()), "I love it");
    }

    @Override
    Fixture answering(SentimentLabel label) {
        return answered(json(200, completion(content(label))));
    }

    @Override
    Fixture rateLimited(Duration retryAfter) {
        return answered(json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}")
                .withHeader("retry-after-ms", Long.toString(retryAfter.toMillis())));
    }

    @Override
    Fixture serverError(int status) {
        return answered(json(status, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
    }

    @Override
    Fixture authRefused(int status) {
        return answered(json(status, "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}"));
    }

    @Override
    Fixture silent() {
        return answered(json(200, completion(content(SentimentLabel.POSITIVE)))
                .withFixedDelay((int) DEADLINE.multipliedBy(5).toMillis()));
    }

    @Override
    Fixture garbage() {
        return answered(json(200, completion("The sentiment of this text is clearly positive.")));
    }

    @Override
    Ticker ticker() {
        return Ticker.system();
    }

    /**
     * The JDK client's time-out fires on a thread of its own; on a loaded 2-core CI machine that takes a while. The
     * silent server answers only after five deadlines, so this bound still tells a time-out from a wait.
     */
    @Override
    Duration cancellationLatency() {
        return Duration.ofMillis(1500);
    }
}
