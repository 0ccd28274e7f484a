package io.bulwark.sentiment;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.failure.BilledTokens;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.sentiment.local.LocalSentimentModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the ledger charges: what the provider bills. A malformed or truncated answer that came with a token count is
 * charged (and answered by a fallback); a 429 is not; prompt-cached input is priced at the cached-input rate.
 */
class SentimentChainChargingTest {

    private static final String TEXT = "The screen is nice but the battery died after a week.";
    private static LocalSentimentModel local;
    private final SimulatedTime time = new SimulatedTime();
    private SentimentChain chain;

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    private SentimentChain chain(Supplier<Sentiment> answer) {
        return chain(answer, io.bulwark.resilience.SameChoiceRetry.defaults());
    }

    private SentimentChain chain(Supplier<Sentiment> answer, io.bulwark.resilience.SameChoiceRetry retry) {
        SentimentProvider llm = new SentimentProvider() {
            @Override
            public String model() {
                return "gpt-4o-mini";
            }

            @Override
            public Sentiment classify(String text, Deadline deadline) {
                return answer.get();
            }
        };
        chain = SentimentChain.builder().settings(SentimentChain.Settings.defaults(Duration.ofSeconds(2)))
                .localModel(local).clock(time.clock()).ticker(time).sleeper(time).listener(new BoundaryMetrics())
                .ledger(new CostLedger(PriceTable.defaults(), DailyBudget.unlimited(time.clock())))
                .cheapLlm(llm).sameChoiceRetry(retry).build();
        return chain;
    }

    @Test
    void should_charge_a_malformed_answer_that_came_with_token_usage_and_answer_from_the_fallback() {
        chain(() -> {
            throw new MalformedResponse("cut at max_tokens", new BilledTokens(60, 0, 20));
        }, io.bulwark.resilience.SameChoiceRetry.off());

        SentimentAnswer a = chain.classify(TEXT);

        // gpt-4o-mini: 60 × $0.15 + 20 × $0.60 per 1M = $0.000021
        assertThat(a.tier()).isEqualTo(Tier.LOCAL);
        assertThat(a.costUsd()).as("the local model's answer itself is free").isZero();
        CostLedger.Snapshot s = chain.ledger().snapshot();
        assertThat(s.total().usd()).isCloseTo(0.000021, within(1e-15));
        assertThat(s.billedFailures().answers()).isEqualTo(1);
        assertThat(s.billedFailures().usd()).isCloseTo(0.000021, within(1e-15));
        assertThat(s.byModel().get("gpt-4o-mini").usd()).isCloseTo(0.000021, within(1e-15));
        assertThat(s.byTier().get(Tier.LLM_CHEAP).answers()).as("charged, but no answer").isZero();
        assertThat(s.total().answers()).isEqualTo(1);
    }

    @Test
    void should_charge_every_malformed_answer_when_the_only_provider_is_asked_again() {
        chain(() -> {
            throw new MalformedResponse("cut at max_tokens", new BilledTokens(60, 0, 20));
        });

        SentimentAnswer a = chain.classify(TEXT);

        assertThat(a.tier()).isEqualTo(Tier.LOCAL);
        CostLedger.Snapshot s = chain.ledger().snapshot();
        assertThat(s.billedFailures().usd()).as("three calls of the same provider, each billed")
                .isCloseTo(3 * 0.000021, within(1e-15));
    }

    @Test
    void should_not_charge_a_malformed_answer_without_usage_nor_a_429() {
        chain(() -> {
            throw new MalformedResponse("prose");
        });
        chain.classify(TEXT);
        assertThat(chain.ledger().totalUsd()).isZero();
        chain.close();

        chain(() -> {
            throw new RateLimited("429", null);
        });
        chain.classify(TEXT);
        assertThat(chain.ledger().totalUsd()).isZero();
        assertThat(chain.ledger().snapshot().billedFailures().answers()).isZero();
    }

    @Test
    void should_price_the_prompt_cached_input_the_provider_reports_at_the_cached_rate() {
        chain(() -> new Sentiment(SentimentLabel.NEGATIVE, 0.9, new TokenUsage(1200, 10, 1024)));

        SentimentAnswer a = chain.classify(TEXT);

        // gpt-4o-mini: 176 fresh × $0.15 + 1,024 cached × $0.075 + 10 × $0.60 per 1M = $0.0001092
        assertThat(a.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(a.costUsd()).isCloseTo(0.0001092, within(1e-15));
        assertThat(chain.ledger().totalUsd()).isCloseTo(0.0001092, within(1e-15));
    }
}
