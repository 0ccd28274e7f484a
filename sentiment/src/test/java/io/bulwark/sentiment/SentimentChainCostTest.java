package io.bulwark.sentiment;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.TokenEstimator;
import io.bulwark.costing.router.CostRouter;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.embedding.Embedders;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The cost router and the ledger inside the real chain: who answers first, what it costs, what happens
 * when the day's budget runs out, and where the semantic cache stands (before the router).
 */
class SentimentChainCostTest {

    private static final String PLAIN = "Excellent product, works great and I love it.";
    private static final String CONTRAST = "The screen is nice but the battery died after a week.";

    private static LocalSentimentModel local;
    private final SimulatedTime time = new SimulatedTime();
    private final List<CostRouter.Decision> decisions = new ArrayList<>();
    private SentimentChain chain;

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    /** An LLM that always answers NEGATIVE and reports the given usage. */
    static final class CountingLlm implements SentimentProvider {
        final String model;
        final TokenUsage usage;
        final AtomicInteger calls = new AtomicInteger();

        CountingLlm(String model, TokenUsage usage) {
            this.model = model;
            this.usage = usage;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public Sentiment classify(String text, Deadline deadline) {
            calls.incrementAndGet();
            return new Sentiment(SentimentLabel.NEGATIVE, 0.9, usage);
        }
    }

    private final CountingLlm cheap = new CountingLlm("gpt-4o-mini", new TokenUsage(60, 10));
    private final CountingLlm strong = new CountingLlm("gpt-4o", new TokenUsage(60, 10));

    private SentimentChain assemble(DailyBudget budget, Optional<RouterConfig> router) {
        SentimentChain.Builder b = builder().ledger(new CostLedger(PriceTable.defaults(), budget))
                .cheapLlm(cheap).strongLlm(strong).routingListener(decisions::add);
        router.ifPresent(b::router);
        chain = b.build();
        return chain;
    }

    /** The chain on simulated time with the local model and default settings; the test adds the rest. */
    private SentimentChain.Builder builder() {
        return SentimentChain.builder().settings(SentimentChain.Settings.defaults(Duration.ofSeconds(2)))
                .localModel(local).clock(time.clock()).ticker(time).sleeper(time).listener(new BoundaryMetrics());
    }

    @Test
    void should_answer_a_plain_text_the_local_model_is_sure_of_locally_for_nothing() {
        assemble(DailyBudget.unlimited(time.clock()), Optional.of(RouterConfig.defaults()));

        SentimentAnswer r = chain.classify(PLAIN);

        assertThat(local.classify(PLAIN, Deadline.after(Duration.ofSeconds(1), time)).confidence()).isGreaterThan(0.95);
        assertThat(r.tier()).isEqualTo(Tier.LOCAL);
        assertThat(r.degraded()).isFalse();
        assertThat(r.costUsd()).isZero();
        assertThat(decisions).singleElement().extracting(CostRouter.Decision::reason).isEqualTo("local_confident");
        assertThat(cheap.calls.get() + strong.calls.get()).isZero();
    }

    @Test
    void should_send_a_contrast_to_an_llm_and_record_its_cost_from_the_providers_usage() {
        assemble(DailyBudget.unlimited(time.clock()), Optional.of(RouterConfig.defaults()));

        SentimentAnswer r = chain.classify(CONTRAST);

        assertThat(r.tier()).isIn(Tier.LLM_CHEAP, Tier.LLM_STRONG);
        double expected = r.tier() == Tier.LLM_CHEAP
                ? (60 * 0.15 + 10 * 0.60) / 1e6    // gpt-4o-mini $0.15 / $0.60 per 1M
                : (60 * 2.50 + 10 * 10.0) / 1e6;   // gpt-4o $2.50 / $10 per 1M
        assertThat(r.costUsd()).isCloseTo(expected, within(1e-15));
        assertThat(chain.ledger().totalUsd()).isCloseTo(expected, within(1e-15));
        assertThat(chain.ledger().snapshot().byTier().get(r.tier()).answers()).isEqualTo(1);
    }

    @Test
    void should_record_a_cache_hit_as_an_answer_that_cost_nothing() {
        assemble(DailyBudget.unlimited(time.clock()), Optional.of(RouterConfig.defaults()));
        double first = chain.classify(CONTRAST).costUsd();

        SentimentAnswer again = chain.classify(CONTRAST);

        assertThat(again.tier()).isEqualTo(Tier.CACHE);
        assertThat(again.costUsd()).isZero();
        assertThat(chain.ledger().snapshot().total()).isEqualTo(new CostLedger.Total(2, first));
    }

    @Test
    void should_estimate_the_tokens_with_the_tokenizer_when_the_provider_reports_none() {
        CountingLlm silent = new CountingLlm("gpt-4o-mini", TokenUsage.NONE);
        chain = builder().cheapLlm(silent).build();

        SentimentAnswer r = chain.classify(CONTRAST);

        TokenEstimator t = TokenEstimator.forModel("gpt-4o-mini");
        int in = t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, CONTRAST);
        int out = t.count("{\"sentiment\": \"negative\", \"confidence\": 0.9}");
        assertThat(in).isGreaterThan(40);
        assertThat(r.costUsd()).isCloseTo((in * 0.15 + out * 0.60) / 1e6, within(1e-15));
    }

    @Test
    void should_route_to_the_local_model_once_the_days_budget_is_spent_instead_of_failing() {
        // one cheap call costs $0.000015: a budget of $0.00001 is spent by the first
        assemble(DailyBudget.of(0.00001, 0.8, time.clock()), Optional.of(RouterConfig.defaults()));
        chain.classify(CONTRAST);

        SentimentAnswer r = chain.classify("The sound is fine but the case cracked on day two.");

        assertThat(r.tier()).isEqualTo(Tier.LOCAL);
        assertThat(r.degraded()).isFalse();
        assertThat(r.label()).isNotEqualTo(SentimentLabel.UNCERTAIN);
        assertThat(decisions.get(1).reason()).isEqualTo("budget_exhausted");
        assertThat(cheap.calls.get() + strong.calls.get()).isEqualTo(1);

        time.advance(Duration.ofDays(1));
        assertThat(chain.classify("The sound is great but the case cracked.").tier()).isNotEqualTo(Tier.LOCAL);
    }

    @Test
    void should_fall_back_to_the_local_model_when_the_budget_refuses_a_fixed_first_choice() {
        assemble(DailyBudget.of(0.00001, 0.8, time.clock()), Optional.empty());
        assertThat(chain.classify(CONTRAST).tier()).isEqualTo(Tier.LLM_CHEAP);

        SentimentAnswer r = chain.classify("Another text entirely, not cached.");

        assertThat(r.tier()).isEqualTo(Tier.LOCAL);
        assertThat(r.fallback()).isEqualTo("local_model");
        assertThat(r.degraded()).isTrue();
        assertThat(cheap.calls.get()).isEqualTo(1);
    }

    @Test
    void should_print_the_router_and_the_ledger_in_the_chain() {
        assemble(DailyBudget.of(5, 0.8, time.clock()), Optional.of(RouterConfig.defaults()));

        assertThat(chain.describe())
                .contains("CostRouter(first match wins; tiers [local, llm-cheap, llm-strong])")
                .contains("1. local_confident")
                .contains("BudgetGuard(CircuitBreaker[gpt-4o](TimeLimit[1200ms](Charge(gpt-4o))))")
                .contains("CostLedger(PriceTable[version 2026-11.2");
    }

    @Test
    void should_answer_a_paraphrase_from_the_semantic_cache_before_the_router_and_record_it_at_no_cost() {
        chain = builder().cheapLlm(cheap).strongLlm(strong).router(RouterConfig.defaults())
                .routingListener(decisions::add).embedder(new PrefixBlindEmbedder()).build();
        // A contrast the LLM answers (negative, as the local model also judges it, so the guard lets it through).
        String text = "The case looks fine but the battery is terrible and it broke.";
        SentimentAnswer first = chain.classify(text);

        SentimentAnswer r = chain.classify("Honestly, " + text);

        assertThat(first.tier()).isIn(Tier.LLM_CHEAP, Tier.LLM_STRONG);
        assertThat(r.cache()).isEqualTo("semantic");
        assertThat(r.similarity()).isCloseTo(1.0, within(1e-6));
        assertThat(r.tier()).isEqualTo(Tier.CACHE);
        assertThat(r.costUsd()).isZero();
        assertThat(decisions).as("the router decided the first request only").hasSize(1);
        assertThat(cheap.calls.get() + strong.calls.get()).isEqualTo(1);
        assertThat(chain.ledger().snapshot().total()).isEqualTo(new CostLedger.Total(2, first.costUsd()));
        assertThat(chain.describe()).containsSubsequence("ExactCache", "SemanticCache", "CostRouter", "CostLedger");
    }

    @Test
    void should_skip_the_semantic_cache_without_waiting_while_the_embedder_is_at_its_bound() throws Exception {
        CountDownLatch embedding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Embedder blocking = new PrefixBlindEmbedder() {
            @Override
            public float[] embed(String text) {
                if (text.startsWith("Hold")) {
                    embedding.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.embed(text);
            }
        };
        chain = builder().cheapLlm(cheap).strongLlm(strong).embedder(Embedders.bounded(blocking, 1)).build();
        Thread holder = Thread.ofVirtual().start(() -> chain.classify("Hold on, the battery is terrible and it broke."));
        assertThat(embedding.await(10, TimeUnit.SECONDS)).isTrue();

        // The text whose paraphrase the semantic cache answers when the embedder is free (the test above).
        String text = "The case looks fine but the battery is terrible and it broke.";
        SentimentAnswer busy = chain.classify(text);
        release.countDown();
        holder.join(10_000);
        SentimentAnswer paraphrase = chain.classify("Honestly, " + text);

        assertThat(busy.tier()).isIn(Tier.LLM_CHEAP, Tier.LLM_STRONG);
        assertThat(busy.degraded()).isFalse();
        assertThat(chain.semanticSkipped()).isEqualTo(1);
        assertThat(chain.semanticErrors()).as("busy is not an embedder failure").isZero();
        assertThat(paraphrase.cache()).as("the skipped answer was not added to the semantic cache").isNull();
        assertThat(chain.semanticSkipped()).as("a free embedder is used again").isEqualTo(1);
    }

    /** Embeds a text as a seeded random vector of its lower-case words without a leading "Honestly, ". */
    static class PrefixBlindEmbedder implements Embedder {
        @Override
        public String name() {
            return "prefix-blind";
        }

        @Override
        public int dimension() {
            return 32;
        }

        @Override
        public float[] embed(String text) {
            String key = text.toLowerCase(Locale.ROOT).replaceFirst("^honestly, ", "");
            SplittableRandom r = new SplittableRandom(key.hashCode());
            float[] v = new float[dimension()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
            return Embedder.normalise(v);
        }
    }
}
