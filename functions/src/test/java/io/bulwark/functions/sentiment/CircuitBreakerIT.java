package io.bulwark.functions.sentiment;

import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breaker of the running app opens after repeated failures of a real HTTP provider, after which
 * answers come without calling it. (Half-open and closing again are tested with a fake clock in
 * the resilience module's BreakerTest.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.router.enabled=false", // these tests are about the LLM path: the cheap LLM is always the first choice
        "bulwark.breaker.sliding-window-size=4",
        "bulwark.breaker.minimum-number-of-calls=4",
        "bulwark.breaker.wait-in-open-state=10m",
})
class CircuitBreakerIT {

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
    @Autowired
    SentimentChain chain;

    @Test
    void should_stop_calling_a_failing_provider_once_the_breaker_opens() {
        LLM.stubFor(post(urlEqualTo(SentimentLlmIT.PATH)).willReturn(aResponse().withStatus(503)));
        HttpClientSupport http = new HttpClientSupport(port);
        for (int i = 0; i < 4; i++) {
            http.postJson("/sentiment", "{\"text\": \"request " + i + "\"}");
        }
        assertThat(chain.breakerStates()).containsExactly(java.util.Map.entry("gpt-4o-mini", "OPEN"));
        int callsWhenOpened = LLM.getAllServeEvents().size();

        Reply r = http.postJson("/sentiment", "{\"text\": \"one more\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
        assertThat(r.json().path("degraded").asBoolean()).isTrue();
        LLM.verify(callsWhenOpened, postRequestedFor(urlEqualTo(SentimentLlmIT.PATH)));
    }
}
