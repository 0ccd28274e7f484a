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

    /** Breaker news between chains in one process, as Redis pub/sub carries it between instances. */
    static final class Bus {
        final java.util.List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();

        io.bulwark.resilience.BreakerNews member() {
            java.util.List<java.util.function.Consumer<String>> mine = new java.util.ArrayList<>();
            return new io.bulwark.resilience.BreakerNews() {
                @Override
                public void opened(String model) {
                    told.add(model);
                    listeners.stream().filter(l -> !mine.contains(l)).forEach(l -> l.accept(model));
                }

                @Override
                public void onOpened(java.util.function.Consumer<String> listener) {
                    mine.add(listener);
                    listeners.add(listener);
                }
            };
        }
    }

    @Test
    void should_skip_a_model_whose_breaker_opened_on_another_instance_until_its_own_half_open_trial() {
        Bus bus = new Bus();
        Llm strongA = new Llm("gpt-4o");
        strongA.down = true;
        Llm strongB = new Llm("gpt-4o");
        SentimentChain a = builder().cheapLlm(new Llm("gpt-4o-mini")).strongLlm(strongA)
                .router(new RouterConfig(1.01, 0.5)).breakerNews(bus.member()).build();
        chain = builder().cheapLlm(new Llm("gpt-4o-mini")).strongLlm(strongB)
                .router(new RouterConfig(1.01, 0.5)).breakerNews(bus.member()).build();
        try {
            for (int i = 0; i < 4; i++) {
                a.classify(SARCASTIC + " " + i);
            }
            assertThat(bus.told).containsExactly("gpt-4o"); // B's opening on the news is not news again

            assertThat(chain.breakerStates()).containsEntry("gpt-4o", "OPEN");
            assertThat(chain.classify(SARCASTIC).fallback()).isEqualTo("local_model");
            assertThat(strongB.calls).hasValue(0);

            time.advance(Duration.ofMinutes(10).plusMillis(1)); // B's own wait: its half-open trial finds its model healthy
            SentimentAnswer trial = chain.classify(SARCASTIC + " 9");
            assertThat(trial.tier()).as(trial.toString() + chain.breakerStates()).isEqualTo(Tier.LLM_STRONG);
            assertThat(strongB.calls).hasValue(1);
        } finally {
            a.close();
        }
    }

    @Test
    void should_send_a_call_over_the_models_rate_limit_to_the_next_cheaper_tier_without_calling_it() {
        Llm cheap = new Llm("gpt-4o-mini");
        Llm strong = new Llm("gpt-4o");
        chain = builder().cheapLlm(cheap).strongLlm(strong).router(new RouterConfig(1.01, 0.5))
                .rateLimiter(io.bulwark.resilience.limit.RateLimiter.inProcess(java.util.Map.of(
                        "gpt-4o", new io.bulwark.resilience.limit.RateLimit(2, 0),
                        "gpt-4o-mini", new io.bulwark.resilience.limit.RateLimit(1, 0)), time))
                .build();

        assertThat(chain.classify(SARCASTIC + " 1").tier()).isEqualTo(Tier.LLM_STRONG);
        assertThat(chain.classify(SARCASTIC + " 2").tier()).isEqualTo(Tier.LLM_STRONG);
        SentimentAnswer third = chain.classify(SARCASTIC + " 3");
        SentimentAnswer fourth = chain.classify(SARCASTIC + " 4");

        assertThat(third.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(third.fallback()).isEqualTo("rate_limit");
        assertThat(fourth.tier()).isEqualTo(Tier.LOCAL); // both models over their limits: the local model
        assertThat(fourth.fallback()).isEqualTo("local_model");
        assertThat(strong.calls).hasValue(2);
        assertThat(cheap.calls).hasValue(1);
        assertThat(chain.describe()).contains("RateLimit[gpt-4o: 2 rpm, 0 tpm]").contains("ThrottledFallback");

        time.advance(Duration.ofSeconds(30)); // half a minute refills one of the strong model's two requests
        assertThat(chain.classify(SARCASTIC + " 5").tier()).isEqualTo(Tier.LLM_STRONG);
    }
}
