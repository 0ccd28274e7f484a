package io.bulwark.functions.sentiment;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The semantic cache through the running local runner, with the in-process MiniLM and a WireMock LLM: a
 * paraphrase is answered from the cache with its similarity; a negation of a cached text is not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.breaker.sliding-window-size=1000",
        "bulwark.breaker.minimum-number-of-calls=1000",
        // These tests count the LLM's calls: the cheap LLM must be the first choice, not the router's pick.
        "bulwark.router.enabled=false",
})
class SemanticCacheIT {

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

    static void llmAnswers(String label, double confidence) {
        LLM.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(SentimentLlmIT.completion(
                        "{\"sentiment\": \"" + label + "\", \"confidence\": " + confidence + "}"))));
    }

    Reply ask(String text) {
        return http.postJson("/sentiment", "{\"text\": \"" + text + "\"}");
    }

    @Test
    void should_answer_a_paraphrase_from_the_semantic_cache_with_its_similarity() {
        llmAnswers("positive", 0.96);
        Reply first = ask("The headset is comfortable and the sound is excellent.");
        assertThat(first.json().path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(first.json().path("similarity").isNull()).isTrue();

        Reply again = ask("Honestly, the headset is comfortable and the sound is excellent!");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("cached").asBoolean()).isTrue();
        assertThat(again.json().path("cache").asString()).isEqualTo("semantic");
        assertThat(again.json().path("tier").asString()).isEqualTo("cache");
        assertThat(again.json().path("sentiment").asString()).isEqualTo("positive");
        assertThat(again.json().path("confidence").asDouble()).isEqualTo(0.96);
        assertThat(again.json().path("model_used").asString()).isEqualTo("gpt-4o-mini");
        assertThat(again.json().path("cost_usd").asDouble()).isZero();
        assertThat(again.json().path("similarity").asDouble()).isBetween(0.90, 1.0);
        LLM.verify(1, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void should_ask_the_llm_for_a_negation_of_a_cached_text() {
        llmAnswers("positive", 0.95);
        ask("I would definitely recommend this charger to my friends.");
        llmAnswers("negative", 0.93);

        Reply negated = ask("I would definitely not recommend this charger to my friends.");

        assertThat(negated.json().path("cached").asBoolean()).isFalse();
        assertThat(negated.json().path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(negated.json().path("sentiment").asString()).isEqualTo("negative");
        LLM.verify(2, postRequestedFor(urlEqualTo(PATH)));
        LLM.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(
                "{\"messages\": [{}, {\"content\": \"I would definitely not recommend this charger to my friends.\"}]}",
                true, true)));
    }

    @Test
    void should_publish_the_semantic_cache_lookups_as_a_meter() {
        Reply metrics = http.get("/actuator/metrics/bulwark.cache.semantic.lookups");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw()).contains("\"result\"");
    }
}
