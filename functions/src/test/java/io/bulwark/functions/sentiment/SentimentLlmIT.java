package io.bulwark.functions.sentiment;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /sentiment} through the running local runner, with the real langchain4j client talking
 * HTTP to WireMock standing in for an OpenAI-compatible endpoint. The breaker is set so that it does
 * not open here; {@link CircuitBreakerIT} covers it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.router.enabled=false", // these tests are about the LLM path: the cheap LLM is always the first choice
        "bulwark.llm.api-key=sk-very-secret-key",
        "bulwark.breaker.sliding-window-size=1000",
        "bulwark.breaker.minimum-number-of-calls=1000",
})
@ExtendWith(OutputCaptureExtension.class)
class SentimentLlmIT {

    static final String PATH = "/v1/chat/completions";
    static final WireMockServer LLM = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        LLM.start();
    }

    @DynamicPropertySource
    static void llm(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.base-url", () -> LLM.baseUrl() + "/v1");
    }

    @AfterAll
    static void stop() {
        LLM.stop();
    }

    @LocalServerPort
    int port;
    HttpClientSupport http;

    @BeforeEach
    void reset() {
        LLM.resetAll();
        http = new HttpClientSupport(port);
    }

    static String completion(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":60,"completion_tokens":10,"total_tokens":70}}""".formatted(escaped);
    }

    static void llmAnswers(String content) {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion(content))));
    }

    /** A text no other test sends, so the exact cache never answers by accident. */
    static String fresh(String text) {
        return text + " #" + UUID.randomUUID();
    }

    Reply ask(String text) {
        return http.postJson("/sentiment", "{\"text\": \"" + text + "\", \"user_id\": \"u-1\"}");
    }

    static void assertWellFormed(Reply r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().propertyNames()).containsExactlyInAnyOrder("sentiment", "confidence", "cached", "cache",
                "similarity", "model_used", "tier", "degraded", "fallback", "cost_usd", "latency_ms", "request_id");
        assertThat(r.json().path("sentiment").asString()).isIn("positive", "negative", "neutral", "uncertain");
        assertThat(r.json().path("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(r.json().path("request_id").asString()).isNotBlank();
        // no test here sends a paraphrase of another's text: a semantic hit would be an accident
        assertThat(r.json().path("cache").asString()).isNotEqualTo("semantic");
        assertThat(r.json().path("similarity").isNull()).isTrue();
    }

    @Test
    void should_answer_from_the_cheap_llm_with_its_cost() {
        llmAnswers("{\"sentiment\": \"positive\", \"confidence\": 0.97}");

        Reply r = ask(fresh("This product is amazing!"));

        assertWellFormed(r);
        assertThat(r.json().path("sentiment").asString()).isEqualTo("positive");
        assertThat(r.json().path("confidence").asDouble()).isEqualTo(0.97);
        assertThat(r.json().path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(r.json().path("model_used").asString()).isEqualTo("gpt-4o-mini");
        assertThat(r.json().path("cached").asBoolean()).isFalse();
        assertThat(r.json().path("cache").isNull()).isTrue();
        assertThat(r.json().path("fallback").isNull()).isTrue();
        assertThat(r.json().path("degraded").asBoolean()).isFalse();
        // 60 in, 10 out at $0.15/$0.60 per 1M
        assertThat(r.json().path("cost_usd").asDouble()).isEqualTo(0.000015);
    }

    @Test
    void should_answer_a_repeated_text_from_the_exact_cache_without_calling_the_llm() {
        llmAnswers("{\"sentiment\": \"negative\", \"confidence\": 0.88}");
        String text = fresh("The battery died after a day.");
        ask(text);

        Reply again = http.postJson("/sentiment", "{\"text\": \"  " + text.toUpperCase() + " \"}");

        assertWellFormed(again);
        assertThat(again.json().path("cached").asBoolean()).isTrue();
        assertThat(again.json().path("cache").asString()).isEqualTo("exact");
        assertThat(again.json().path("tier").asString()).isEqualTo("cache");
        assertThat(again.json().path("sentiment").asString()).isEqualTo("negative");
        assertThat(again.json().path("cost_usd").asDouble()).isZero();
        LLM.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_wait_a_short_retry_after_and_succeed() {
        LLM.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after-ms", "300"))
                .willSetStateTo("ok"));
        LLM.stubFor(post(urlEqualTo(PATH)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));

        Reply r = ask(fresh("Fast shipping, works great."));

        assertWellFormed(r);
        assertThat(r.json().path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(r.json().path("fallback").asString()).isEqualTo("rate_limit");
        assertThat(r.json().path("degraded").asBoolean()).isFalse();
        assertThat(r.json().path("latency_ms").asLong()).isGreaterThanOrEqualTo(300);
        LLM.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_fall_back_at_once_when_retry_after_is_longer_than_the_deadline() {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")));

        Reply r = ask(fresh("Terrible, it broke on day one."));

        assertWellFormed(r);
        assertThat(r.json().path("tier").asString()).isEqualTo("local");
        assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
        assertThat(r.json().path("degraded").asBoolean()).isTrue();
        assertThat(r.json().path("latency_ms").asLong()).isLessThan(1000);
        LLM.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_answer_within_the_deadline_when_the_llm_is_slower() {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)
                .withHeader("Content-Type", "application/json")
                .withBody(completion("{\"sentiment\": \"positive\", \"confidence\": 0.9}"))));
        long start = System.nanoTime();

        Reply r = ask(fresh("I would buy it again."));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertWellFormed(r);
        assertThat(elapsedMs).isLessThan(2_000 + 300);
        assertThat(r.json().path("latency_ms").asLong()).isLessThanOrEqualTo(2_000);
        assertThat(r.json().path("degraded").asBoolean()).isTrue();
        assertThat(r.json().path("tier").asString()).isEqualTo("local");
        // the first call and the one retry with the shorter time limit
        LLM.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void should_fall_back_to_the_local_model_when_the_llm_fails(int status) {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)));

        Reply r = ask(fresh("Not worth the money."));

        assertWellFormed(r);
        assertThat(r.json().path("tier").asString()).isEqualTo("local");
        assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
        assertThat(r.json().path("degraded").asBoolean()).isTrue();
    }

    @Test
    void should_fall_back_when_the_connection_is_reset() {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Reply r = ask(fresh("Works as described."));

        assertWellFormed(r);
        assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Sure! The sentiment of this text is positive.",
            "{\"sentiment\": \"positive\", \"conf",
            "{\"sentiment\": \"delighted\", \"confidence\": 0.9}",
            "{\"sentiment\": \"positive\", \"confidence\": 7}",
    })
    void should_fall_back_when_the_content_breaks_the_output_contract(String content) {
        llmAnswers(content);

        Reply r = ask(fresh("Good value."));

        assertWellFormed(r);
        assertThat(r.json().path("tier").asString()).isEqualTo("local");
        assertThat(r.json().path("degraded").asBoolean()).isTrue();
    }

    @Test
    void should_not_cache_a_degraded_answer() {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        String text = fresh("Arrived late.");
        ask(text);
        llmAnswers("{\"sentiment\": \"negative\", \"confidence\": 0.8}");

        Reply r = ask(text);

        assertThat(r.json().path("cached").asBoolean()).isFalse();
        assertThat(r.json().path("tier").asString()).isEqualTo("llm-cheap");
    }

    @Test
    void should_fall_back_on_401_without_retrying_and_never_log_the_key(CapturedOutput output) {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-very-secret-key\"}}")));

        Reply r = ask(fresh("Love it."));

        assertWellFormed(r);
        assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
        LLM.verify(1, postRequestedFor(urlEqualTo(PATH)));
        assertThat(output.getAll()).doesNotContain("sk-very-secret-key");
        assertThat(r.raw()).doesNotContain("sk-very-secret-key");
    }
}
