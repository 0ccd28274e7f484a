package io.bulwark.functions.sentiment;

import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import io.bulwark.models.predictionlog.PredictionLog;
import java.util.List;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003, Exercise 3: a provider that fails 30% with a rate limit, 20% with a time-out, 20% with an
 * invalid format and succeeds 30% of the time. 1,000 seeded requests through the sentiment function:
 * every response is well-formed, none is a 5xx, and each says which tier and fallback answered.
 */
class WorkshopScenarioTest {

    private static final int REQUESTS = 1_000;
    private static LocalSentimentModel local;

    private final SimulatedTime time = new SimulatedTime();
    private final JsonMapper json = JsonMapper.builder().build();
    private final BoundaryMetrics metrics = new BoundaryMetrics();
    private SentimentChain chain;

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    /** The workshop's flaky_llm_call, seeded. */
    static final class FlakyProvider implements SentimentProvider {
        private final Random random;

        FlakyProvider(long seed) {
            random = new Random(seed);
        }

        @Override
        public String model() {
            return "gpt-4o-mini";
        }

        @Override
        public synchronized Sentiment classify(String text, Deadline deadline) {
            double r = random.nextDouble();
            if (r < 0.3) {
                throw new RateLimited("Rate limit exceeded", random.nextBoolean() ? Duration.ofMillis(300) : null);
            } else if (r < 0.5) {
                throw new TimedOut("Request timeout");
            } else if (r < 0.7) {
                throw new MalformedResponse("Invalid response format");
            }
            return Sentiment.of(SentimentLabel.POSITIVE, 0.9);
        }
    }

    /**
     * Runs the scenario with {@code breaker} settings, one request every {@code interval} of fake time.
     */
    private Map<String, Integer> run(long seed, BreakerConfig breaker, Duration interval) {
        SentimentChain.Settings d = SentimentChain.Settings.defaults(Duration.ofSeconds(2));
        // The scenario is about the error boundary: no embedder, so no semantic cache ("Request 1" and
        // "Request 12" would rightly be near duplicates).
        SentimentChain.Settings settings = new SentimentChain.Settings(d.deadline(), d.reserve(), d.llmTimeout(),
                d.fallbackTimeout(), d.minimumRetryCall(), d.cacheSize(), d.cacheTtl(), breaker, d.semantic());
        chain = SentimentChain.builder().settings(settings).localModel(local).cheapLlm(new FlakyProvider(seed))
                .clock(time.clock()).ticker(time).sleeper(time).listener(metrics).build();
        FunctionDispatcher edge = new FunctionDispatcher(List.of(new SentimentFunction(json, chain, 1000,
                PredictionLog.NONE, false, time.clock())), json, FunctionObserver.NONE, time);
        Map<String, Integer> byTierAndFallback = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            time.advance(interval);
            FunctionResponse response = edge.dispatch(new FunctionRequest("POST", "/sentiment",
                    Map.of("Content-Type", "application/json"),
                    ("{\"text\": \"Request " + i + "\"}").getBytes(StandardCharsets.UTF_8)));

            assertThat(response.status()).isEqualTo(200);
            JsonNode body = json.readTree(response.body());
            String tier = body.path("tier").asString();
            String fallback = body.path("fallback").isNull() ? "none" : body.path("fallback").asString();
            assertThat(body.path("sentiment").asString()).isIn("positive", "negative", "neutral", "uncertain");
            assertThat(body.path("confidence").asDouble()).isBetween(0.0, 1.0);
            assertConsistent(tier, fallback, body.path("degraded").asBoolean());
            byTierAndFallback.merge(tier + "/" + fallback, 1, Integer::sum);
        }
        return byTierAndFallback;
    }

    private static void assertConsistent(String tier, String fallback, boolean degraded) {
        switch (fallback) {
            case "none", "rate_limit", "timeout", "reask" -> {
                assertThat(tier).isEqualTo("llm-cheap");
                assertThat(degraded).isFalse();
            }
            case "local_model" -> {
                assertThat(tier).isEqualTo("local");
                assertThat(degraded).isTrue();
            }
            case "template" -> {
                assertThat(tier).isEqualTo("template");
                assertThat(degraded).isTrue();
            }
            default -> throw new AssertionError("unknown fallback " + fallback);
        }
    }

    /** A breaker that opens only when every call in its window fails, so that each fallback is exercised. */
    private static final BreakerConfig TOLERANT = new BreakerConfig(100f, 20, 20, Duration.ofSeconds(30), 2);

    @Test
    void should_answer_every_request_well_formed_and_labelled_with_tier_and_fallback() {
        Map<String, Integer> counts = run(42, TOLERANT, Duration.ofMillis(100));

        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        assertThat(counts).containsKeys("llm-cheap/none", "llm-cheap/rate_limit", "llm-cheap/timeout",
                "local/local_model");
        assertThat(counts).doesNotContainKey("template/template");
        BoundaryMetrics.Snapshot s = metrics.snapshot();
        assertThat(s.requests()).isEqualTo(REQUESTS);
        assertThat(s.totalErrors()).isGreaterThan(REQUESTS / 2);
        System.out.println("Workshop scenario, seed 42: " + counts);
    }

    @Test
    void should_keep_asking_the_flaky_but_alive_llm_with_the_default_breaker_and_answer_about_half_from_it() {
        Map<String, Integer> counts = run(42, BreakerConfig.defaults(), Duration.ofSeconds(1));

        // 20% time-outs among 50% counted calls: 40% failing, under the default 70% (malformed answers do not count)
        assertThat(metrics.snapshot().errors().get(FailureType.CIRCUIT_OPEN)).isZero();
        int fromLlm = counts.entrySet().stream().filter(e -> e.getKey().startsWith("llm-cheap/"))
                .mapToInt(Map.Entry::getValue).sum();
        // 30% of calls answer; one call a request would give 30%, the retries and fallbacks give about half
        assertThat(fromLlm).as("answers of the LLM: %s", counts).isGreaterThan(REQUESTS * 4 / 10);
        assertThat(counts).containsKey("llm-cheap/reask");
        assertThat(counts.keySet()).allMatch(k -> !k.startsWith("template"));
        System.out.println("Workshop scenario, default breaker, seed 42: " + counts);
    }

    @Test
    void should_shed_load_to_the_local_model_once_a_breaker_counting_malformed_answers_opens_and_probe_after_the_wait() {
        // the policy before issue 20: malformed answers counted, 50% threshold: 57% of counted calls fail
        BreakerConfig d = BreakerConfig.defaults();
        Map<String, Integer> counts = run(42, new BreakerConfig(50f, d.slidingWindowSize(), d.minimumNumberOfCalls(),
                d.waitInOpenState(), d.callsInHalfOpenState(), true), Duration.ofSeconds(1));

        assertThat(metrics.snapshot().errors().get(FailureType.CIRCUIT_OPEN)).isGreaterThan(REQUESTS / 2);
        // one request a second and a 30 s wait: the breaker lets trial calls through about every 30 requests
        assertThat(counts.getOrDefault("llm-cheap/none", 0)).isGreaterThan(REQUESTS / 100);
        assertThat(counts.keySet()).allMatch(k -> !k.startsWith("template"));
    }

    @Test
    void should_give_the_same_answers_for_the_same_seed() {
        Map<String, Integer> first = run(7, BreakerConfig.defaults(), Duration.ofMillis(100));
        chain.close();
        Map<String, Integer> second = run(7, BreakerConfig.defaults(), Duration.ofMillis(100));

        assertThat(second).isEqualTo(first);
    }
}
