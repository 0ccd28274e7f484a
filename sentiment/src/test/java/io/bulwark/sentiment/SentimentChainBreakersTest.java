package io.bulwark.sentiment;

import io.bulwark.costing.router.RouterConfig;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.local.LocalSentimentModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each LLM's circuit breaker, as the chain reports it to monitoring: one per model, in tier order, each opening
 * on its own model's failures only.
 */
class SentimentChainBreakersTest {

    /** No negation, contrast or sarcasm cue: the router sends it to the cheap LLM (the local model never answers). */
    private static final String PLAIN = "Excellent product, works great and I love it.";
    /** Sarcasm and contrast (complexity at least 0.7): the router sends it to the strong LLM. */
    private static final String SARCASTIC = "Oh great, it broke again, but the box is pretty";

    private static LocalSentimentModel local;
    private final SimulatedTime time = new SimulatedTime();
    private SentimentChain chain;

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @AfterEach
    void close() {
        if (chain != null) {
            chain.close();
        }
    }

    /** An LLM that answers POSITIVE, or fails as unavailable once told to. */
    static final class Llm implements SentimentProvider {
        final String model;
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();

        Llm(String model) {
            this.model = model;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public Sentiment classify(String text, Deadline deadline) {
            calls.incrementAndGet();
            if (down) {
                throw new Unavailable(model + " answered 503");
            }
            return new Sentiment(SentimentLabel.POSITIVE, 0.9, new TokenUsage(60, 10));
        }
    }

    /** The chain on simulated time, LLM calls on the caller's thread, a breaker that opens after 4 calls. */
    private SentimentChain.Builder builder() {
        SentimentChain.Settings settings = new SentimentChain.Settings(Duration.ofSeconds(2),
                SentimentChain.Settings.DEFAULT_RESERVE, SentimentChain.Settings.DEFAULT_LLM_TIMEOUT,
                SentimentChain.Settings.DEFAULT_FALLBACK_TIMEOUT, SentimentChain.Settings.DEFAULT_MINIMUM_RETRY_CALL,
                ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL,
                new BreakerConfig(50, 4, 4, Duration.ofMinutes(10), 2), SentimentChain.Semantic.disabled());
        return SentimentChain.builder().settings(settings).localModel(local).clock(time.clock()).ticker(time)
                .sleeper(time).listener(new BoundaryMetrics()).callExecutor(SimulatedTime.callExecutor());
    }

    @Test
    void should_open_only_the_strong_models_breaker_when_only_the_strong_model_fails() {
        Llm cheap = new Llm("gpt-4o-mini");
        Llm strong = new Llm("gpt-4o");
        strong.down = true;
        chain = builder().cheapLlm(cheap).strongLlm(strong).router(new RouterConfig(1.01, 0.5)).build();

        for (int i = 0; i < 4; i++) {
            assertThat(chain.classify(SARCASTIC + " " + i).fallback()).isEqualTo("local_model");
        }
        SentimentAnswer plain = chain.classify(PLAIN);

        assertThat(strong.calls).hasValue(4);
        assertThat(plain.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(chain.breakerStates()).containsExactly(
                java.util.Map.entry("gpt-4o-mini", "CLOSED"), java.util.Map.entry("gpt-4o", "OPEN"));
    }

    @Test
    void should_report_one_breaker_for_a_model_that_is_both_the_cheap_and_the_strong_one() {
        chain = builder().cheapLlm(new Llm("llama3.2")).strongLlm(new Llm("llama3.2")).build();

        assertThat(chain.breakerStates()).containsExactly(java.util.Map.entry("llama3.2", "CLOSED"));
    }

    @Test
    void should_report_no_breaker_without_an_llm() {
        chain = builder().build();

        assertThat(chain.breakerStates()).isEmpty();
    }
}
