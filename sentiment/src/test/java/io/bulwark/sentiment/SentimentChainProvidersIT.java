package io.bulwark.sentiment;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Failover;
import io.bulwark.resilience.Hedge;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.sentiment.anthropic.AnthropicSentimentProvider;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two providers on loopback through the real clients: A speaks the OpenAI chat completions API, B Anthropic's
 * Messages API, both WireMock. The cheap tier is [A, B]: the chain must fall over from A to B on a 429, a 5xx, a
 * time-out and garbage, skip a cooling A without calling it, split traffic by weight, and, hedging, take B's
 * faster answer while A is slow.
 */
class SentimentChainProvidersIT {

    private static final String OPENAI_PATH = "/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/v1/messages";
    private static final String A = "openai:gpt-4o-mini";
    private static final String B = "anthropic:claude-3-5-haiku-latest";
    private static final String GOOD = "{\"sentiment\": \"positive\", \"confidence\": 0.93}";

    private static WireMockServer openAi;
    private static WireMockServer anthropic;
    private static LocalSentimentModel local;
    private SentimentChain chain;
    private int texts;

    @BeforeAll
    static void start() {
        openAi = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        anthropic = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        openAi.start();
        anthropic.start();
        local = LocalSentimentModel.trainDefault();
        // load both clients' classes once, against canned local answers: the time limits below then measure calls
        provider(openAi, "a").warmUp();
        anthropicProvider("b").warmUp();
    }

    @AfterAll
    static void stop() {
        openAi.stop();
        anthropic.stop();
    }

    @BeforeEach
    void reset() {
        openAi.resetAll();
        anthropic.resetAll();
        openAi.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(ok(completion(GOOD))));
        anthropic.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(ok(message(GOOD))));
    }

    @AfterEach
    void close() {
        if (chain != null) {
            chain.close();
        }
    }

    private static OpenAiSentimentProvider provider(WireMockServer server, String key) {
        return OpenAiSentimentProvider.create(server.baseUrl() + "/v1", key, "gpt-4o-mini", Duration.ofSeconds(10),
                20, Clock.systemUTC());
    }

    private static AnthropicSentimentProvider anthropicProvider(String key) {
        return AnthropicSentimentProvider.create(anthropic.baseUrl() + "/v1", key, "claude-3-5-haiku-latest",
                Duration.ofSeconds(10), 20, Clock.systemUTC());
    }

    /** A chain whose cheap tier is A (weight {@code a}) then B (weight {@code b}). */
    private SentimentChain chain(int a, int b, Random random) {
        SentimentChain.Settings settings = new SentimentChain.Settings(Duration.ofSeconds(4), Duration.ofMillis(50),
                Duration.ofMillis(1500), Duration.ofMillis(800), Duration.ofMillis(200),
                ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL, BreakerConfig.defaults(),
                SentimentChain.Semantic.disabled());
        chain = SentimentChain.builder().settings(settings).localModel(local)
                .cheapLlms(List.of(new LlmChoice("openai", provider(openAi, "sk-a"), a),
                        new LlmChoice("anthropic", anthropicProvider("sk-b"), b)))
                .defaultCooldown(Duration.ofSeconds(20))
                .random(random)
                .build();
        return chain;
    }

    /** A new text each call: the exact cache must not answer. */
    private SentimentAnswer classify() {
        return chain.classify("The product number " + (++texts) + " works great");
    }

    private static void openAiAnswers(ResponseDefinitionBuilder answer) {
        openAi.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(answer));
    }

    private static int calls(WireMockServer server, String path) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(path)).build()).getCount();
    }

    private Failover.ChoiceStats stats(String id) {
        return chain.choiceStats().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static void assertAnsweredByB(SentimentAnswer a) {
        assertThat(a.model()).isEqualTo(B);
        assertThat(a.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(a.fallback()).isEqualTo(Failover.NEXT_PROVIDER);
        assertThat(a.degraded()).as("another provider of the same tier is no degradation").isFalse();
        assertThat(a.label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void should_answer_from_the_first_provider_naming_provider_and_model() {
        chain(1, 0, new Random(1));

        SentimentAnswer a = classify();

        assertThat(a.model()).isEqualTo(A);
        assertThat(a.fallback()).isNull();
        assertThat(calls(anthropic, ANTHROPIC_PATH)).isZero();
        assertThat(chain.describe()).contains("Failover[llm-cheap").contains("CircuitBreaker[" + A + "]")
                .contains("CircuitBreaker[" + B + "]");
    }

    @Test
    void should_fall_over_on_429_and_skip_the_cooling_provider_without_calling_it() {
        openAiAnswers(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"slow down\"}}"));
        chain(1, 0, new Random(1));

        assertAnsweredByB(classify());
        assertAnsweredByB(classify());
        assertAnsweredByB(classify());

        assertThat(calls(openAi, OPENAI_PATH)).as("A is cooling down after its 429: skipped without a call")
                .isEqualTo(1);
        assertThat(calls(anthropic, ANTHROPIC_PATH)).isEqualTo(3);
        Failover.ChoiceStats a = stats(A);
        assertThat(a.calls()).isEqualTo(1);
        assertThat(a.skipped()).isEqualTo(2);
        assertThat(a.cooldown()).isGreaterThan(Duration.ofSeconds(20)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(chain.breakerStates()).containsEntry(A, "CLOSED");
    }

    @Test
    void should_cool_a_429_without_retry_after_for_the_default_cooldown() {
        openAiAnswers(aResponse().withStatus(429));
        chain(1, 0, new Random(1));

        assertAnsweredByB(classify());
        assertAnsweredByB(classify());

        assertThat(calls(openAi, OPENAI_PATH)).isEqualTo(1);
        assertThat(stats(A).cooldown()).isGreaterThan(Duration.ofSeconds(10));
    }

    @Test
    void should_fall_over_on_5xx_without_cooling_the_provider() {
        openAiAnswers(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"overloaded\"}}"));
        chain(1, 0, new Random(1));

        assertAnsweredByB(classify());
        assertAnsweredByB(classify());

        assertThat(calls(openAi, OPENAI_PATH)).as("an outage is the breaker's business, not a cooldown").isEqualTo(2);
        assertThat(stats(A).failures().get(io.bulwark.resilience.failure.FailureType.UNAVAILABLE)).isEqualTo(2);
    }

    @Test
    void should_fall_over_on_a_time_out_within_the_deadline() {
        openAiAnswers(ok(completion(GOOD)).withFixedDelay(8_000));
        chain(1, 0, new Random(1));

        SentimentAnswer a = classify();

        assertAnsweredByB(a);
        assertThat(a.latency()).isLessThan(Duration.ofSeconds(4));
        assertThat(stats(A).failures().get(io.bulwark.resilience.failure.FailureType.TIMED_OUT)).isEqualTo(1);
    }

    @Test
    void should_reask_a_malformed_answer_of_the_next_provider() {
        openAiAnswers(ok(completion("Positive, I would say!")));
        chain(1, 0, new Random(1));

        assertAnsweredByB(classify());

        assertThat(calls(openAi, OPENAI_PATH)).isEqualTo(1);
        assertThat(calls(anthropic, ANTHROPIC_PATH)).isEqualTo(1);
    }

    @Test
    void should_fall_back_to_the_local_model_when_every_provider_fails() {
        openAiAnswers(aResponse().withStatus(500));
        anthropic.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(aResponse().withStatus(529)
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        chain(1, 0, new Random(1));

        SentimentAnswer a = classify();

        assertThat(a.tier()).isEqualTo(Tier.LOCAL);
        assertThat(a.degraded()).isTrue();
        assertThat(a.fallback()).isEqualTo("local_model");
    }

    @Test
    void should_split_first_choices_by_weight_with_a_seeded_draw() {
        chain(3, 1, new Random(7));
        int requests = 200;
        Random same = new Random(7);
        int expectedA = 0;
        for (int i = 0; i < requests; i++) {
            expectedA += same.nextInt(4) < 3 ? 1 : 0;
        }

        for (int i = 0; i < requests; i++) {
            assertThat(classify().fallback()).isNull();
        }

        assertThat(calls(openAi, OPENAI_PATH)).isEqualTo(expectedA);
        assertThat(calls(anthropic, ANTHROPIC_PATH)).isEqualTo(requests - expectedA);
        assertThat(expectedA).as("about three quarters").isBetween(130, 170);
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String completion(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":41,"completion_tokens":9,"total_tokens":50}}""".formatted(escaped);
    }

    private static String message(String content) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-latest",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":44,"output_tokens":12}}""".formatted(escaped);
    }

    /** A chain whose cheap tier is A then B (backup), hedged by {@code hedge}. */
    private SentimentChain hedged(Hedge hedge) {
        SentimentChain.Settings settings = new SentimentChain.Settings(Duration.ofSeconds(4), Duration.ofMillis(50),
                Duration.ofMillis(2500), Duration.ofMillis(800), Duration.ofMillis(200),
                ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL, BreakerConfig.defaults(),
                SentimentChain.Semantic.disabled());
        chain = SentimentChain.builder().settings(settings).localModel(local)
                .cheapLlms(List.of(new LlmChoice("openai", provider(openAi, "sk-a"), 1),
                        new LlmChoice("anthropic", anthropicProvider("sk-b"), 0)))
                .hedge(Tier.LLM_CHEAP, hedge)
                .random(new Random(1))
                .build();
        // the tier's p90 comes from its successful calls: A answers at once three times
        for (int n = 0; n < 3; n++) {
            assertThat(classify().model()).isEqualTo(A);
        }
        return chain;
    }

    @Test
    void should_hedge_a_slow_provider_take_the_faster_answer_cancel_the_slow_call_and_charge_both() {
        hedged(new Hedge(1.0, 3, 10));
        double aBefore = chain.ledger().usd(A);
        openAiAnswers(ok(completion(GOOD)).withFixedDelay(1500));
        anthropic.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(ok(message(GOOD)).withFixedDelay(50)));

        long start = System.nanoTime();
        SentimentAnswer a = classify();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(a.model()).isEqualTo(B);
        assertThat(a.fallback()).isEqualTo(Failover.HEDGE);
        assertThat(a.degraded()).isFalse();
        assertThat(a.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(tookMs).as("B's answer, not A's 1500 ms").isLessThan(1200);
        assertThat(calls(openAi, OPENAI_PATH)).as("A was asked (3 warm-up calls and the slow one)").isEqualTo(4);
        assertThat(calls(anthropic, ANTHROPIC_PATH)).as("the hedge went to B").isEqualTo(1);
        assertThat(chain.hedgeStats()).singleElement().satisfies(h -> {
            assertThat(h.tier()).isEqualTo(Tier.LLM_CHEAP);
            assertThat(h.won()).isEqualTo(1);
            assertThat(h.lost()).isZero();
        });
        assertThat(stats(A).failures().values()).as("the cancelled call is no failure of A").allMatch(n -> n == 0);
        assertThat(chain.breakerStates().get(A)).isEqualTo("CLOSED");
        assertThat(chain.ledger().usd(A)).as("the cancelled call is charged").isGreaterThan(aBefore);
        assertThat(chain.ledger().usd(B)).as("the answer is charged").isPositive();
    }

    @Test
    void should_not_send_a_second_request_with_a_max_share_of_zero() {
        hedged(new Hedge(0.0, 3, 10));
        openAiAnswers(ok(completion(GOOD)).withFixedDelay(600));

        SentimentAnswer a = classify();

        assertThat(a.model()).isEqualTo(A);
        assertThat(a.fallback()).isNull();
        assertThat(calls(anthropic, ANTHROPIC_PATH)).isZero();
        assertThat(chain.hedgeStats()).singleElement().satisfies(h -> assertThat(h.overShare()).isEqualTo(1));
    }
}
