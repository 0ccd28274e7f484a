package io.bulwark.functions.sentiment;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /sentiment} with {@code bulwark.llm.providers}: an OpenAI-compatible provider first and Anthropic as
 * its backup, both WireMock on loopback, through the app's wiring and the real clients.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.router.enabled=false",
        "bulwark.cache.semantic.enabled=false",
        "bulwark.llm.seed=7",
        // generous limits: a time-out would also move to the next provider, which is not what is tested here
        "bulwark.sentiment.deadline=10s",
        "bulwark.llm.timeout=4s",
        // hedging wired but not reached: the tier needs 1000 answers before it hedges (SentimentChainProvidersIT
        // tests the hedge itself)
        "bulwark.llm.hedge.cheap=true",
        "bulwark.llm.hedge.min-samples=1000",
        "bulwark.llm.hedge.window=1000",
})
@ExtendWith(OutputCaptureExtension.class)
class SentimentProvidersIT {

    static final WireMockServer OPENAI = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    static final WireMockServer ANTHROPIC = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    static final String OPENAI_PATH = "/v1/chat/completions";
    static final String ANTHROPIC_PATH = "/v1/messages";

    static {
        OPENAI.start();
        ANTHROPIC.start();
    }

    /** All in one property source: Spring binds a list from one source only, the last one that has it. */
    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.providers[0].name", () -> "openai");
        registry.add("bulwark.llm.providers[0].api-key", () -> "sk-openai-secret");
        registry.add("bulwark.llm.providers[0].models.cheap", () -> "gpt-4o-mini");
        registry.add("bulwark.llm.providers[1].name", () -> "anthropic");
        registry.add("bulwark.llm.providers[1].kind", () -> "anthropic");
        registry.add("bulwark.llm.providers[1].api-key", () -> "sk-ant-secret");
        registry.add("bulwark.llm.providers[1].models.cheap", () -> "claude-3-5-haiku-latest");
        registry.add("bulwark.llm.providers[1].weight", () -> "0");
        registry.add("bulwark.llm.providers[0].base-url", () -> OPENAI.baseUrl() + "/v1");
        registry.add("bulwark.llm.providers[1].base-url", () -> ANTHROPIC.baseUrl() + "/v1");
    }

    @AfterAll
    static void stop() {
        OPENAI.stop();
        ANTHROPIC.stop();
    }

    @LocalServerPort
    int port;

    private Reply ask(String text) {
        return new HttpClientSupport(port).postJson("/sentiment", "{\"text\": \"" + text + " #" + UUID.randomUUID()
                + "\"}");
    }

    @Test
    void should_answer_from_the_first_provider_then_fall_over_to_anthropic_on_429_and_skip_the_cooling_one(
            CapturedOutput output) {
        OPENAI.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(SentimentLlmIT.completion(
                        "{\"sentiment\": \"positive\", \"confidence\": 0.97}"))));
        ANTHROPIC.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-latest",
                         "content":[{"type":"text","text":"{\\"sentiment\\": \\"negative\\", \\"confidence\\": 0.9}"}],
                         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":10}}""")));

        ask("warm-up: the first calls load classes on a loaded machine");
        OPENAI.resetRequests();
        ANTHROPIC.resetRequests();

        Reply first = ask("This product is amazing!");

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.json().path("model_used").asString()).isEqualTo("openai:gpt-4o-mini");
        assertThat(first.json().path("fallback").isNull()).isTrue();
        // the price of gpt-4o-mini: 60 in, 10 out at $0.15/$0.60 per 1M
        assertThat(first.json().path("cost_usd").asDouble()).isEqualTo(0.000015);

        OPENAI.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withBody("{\"error\":{\"message\":\"Rate limit reached\"}}")));
        Reply limited = ask("The battery died after a day.");
        Reply cooling = ask("The screen cracked at once.");

        for (Reply r : new Reply[] {limited, cooling}) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.json().path("model_used").asString()).isEqualTo("anthropic:claude-3-5-haiku-latest");
            assertThat(r.json().path("tier").asString()).isEqualTo("llm-cheap");
            assertThat(r.json().path("fallback").asString()).isEqualTo("next_provider");
            assertThat(r.json().path("degraded").asBoolean()).isFalse();
            assertThat(r.json().path("sentiment").asString()).isEqualTo("negative");
        }
        OPENAI.verify(2, postRequestedFor(urlEqualTo(OPENAI_PATH))
                .withHeader("Authorization", equalTo("Bearer sk-openai-secret")));
        ANTHROPIC.verify(2, postRequestedFor(urlEqualTo(ANTHROPIC_PATH))
                .withHeader("x-api-key", equalTo("sk-ant-secret")));

        String prometheus = new HttpClientSupport(port).get("/actuator/prometheus").raw();
        assertThat(prometheus)
                .contains("bulwark_llm_calls_total{application=\"bulwark\",function=\"sentiment\",model=\"openai:gpt-4o-mini\"} 3.0")
                .contains("bulwark_llm_skipped_total{application=\"bulwark\",function=\"sentiment\",model=\"openai:gpt-4o-mini\"} 1.0")
                .contains("bulwark_llm_failures_total{application=\"bulwark\",function=\"sentiment\",model=\"openai:gpt-4o-mini\",type=\"rate_limited\"} 1.0")
                .contains("bulwark_llm_answers_total{application=\"bulwark\",function=\"sentiment\",model=\"anthropic:claude-3-5-haiku-latest\"}")
                .contains("bulwark_llm_cooldown_seconds{application=\"bulwark\",function=\"sentiment\",model=\"openai:gpt-4o-mini\"} 2")
                .contains("bulwark_breaker_state{application=\"bulwark\",function=\"sentiment\",model=\"anthropic:claude-3-5-haiku-latest\",state=\"closed\"} 1.0");
        assertThat(prometheus).contains("bulwark_llm_hedges_total{application=\"bulwark\",function=\"sentiment\","
                + "outcome=\"won\",tier=\"llm-cheap\"} 0.0");
        assertThat(output.getOut()).contains("hedge after p90 of last 1000 (from 1000), at most 10% of requests")
                .contains("Failover[llm-cheap").contains("CircuitBreaker[openai:gpt-4o-mini]")
                .contains("CircuitBreaker[anthropic:claude-3-5-haiku-latest]")
                .doesNotContain("sk-openai-secret").doesNotContain("sk-ant-secret");
    }
}
