package io.bulwark.sentiment;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SameChoiceRetry;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.sentiment.local.LocalSentimentModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread an LLM call runs on: a provider that honours its deadline by itself (the OpenAI-compatible one over
 * its sockets) on the request's own thread, any other on a virtual thread the time limit can cancel.
 */
class SentimentChainCallingThreadTest {

    private static final String TEXT = "The screen is nice but the battery died after a week.";
    private static LocalSentimentModel local;
    private final SimulatedTime time = new SimulatedTime();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Duration> budgets = new CopyOnWriteArrayList<>();
    private SentimentChain chain;

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @AfterEach
    void close() {
        chain.close();
    }

    private SentimentChain chain(boolean honoursDeadline, Function<Deadline, Sentiment> answer) {
        SentimentProvider llm = new SentimentProvider() {
            @Override
            public String model() {
                return "gpt-4o-mini";
            }

            @Override
            public boolean honoursDeadline() {
                return honoursDeadline;
            }

            @Override
            public Sentiment classify(String text, Deadline deadline) {
                threads.add(Thread.currentThread());
                budgets.add(deadline.remaining());
                return answer.apply(deadline);
            }
        };
        chain = SentimentChain.builder().settings(SentimentChain.Settings.defaults(Duration.ofSeconds(2)))
                .localModel(local).clock(time.clock()).ticker(time).sleeper(time).listener(new BoundaryMetrics())
                .ledger(new CostLedger(PriceTable.defaults(), DailyBudget.unlimited(time.clock())))
                .cheapLlm(llm).sameChoiceRetry(SameChoiceRetry.off()).build();
        return chain;
    }

    private static Sentiment positive() {
        return new Sentiment(SentimentLabel.POSITIVE, 0.9, TokenUsage.NONE);
    }

    @Test
    void should_call_a_provider_that_honours_its_deadline_on_the_calling_thread_within_the_time_limit() {
        SentimentAnswer a = chain(true, d -> positive()).classify(TEXT);

        assertThat(a.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(threads).containsExactly(Thread.currentThread());
        assertThat(budgets).singleElement().satisfies(b -> assertThat(b)
                .isEqualTo(SentimentChain.Settings.defaults(Duration.ofSeconds(2)).llmTimeout()));
    }

    @Test
    void should_call_any_other_provider_on_a_virtual_thread() {
        SentimentAnswer a = chain(false, d -> positive()).classify(TEXT);

        assertThat(a.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(threads).singleElement().satisfies(t -> {
            assertThat(t).isNotSameAs(Thread.currentThread());
            assertThat(t.isVirtual()).isTrue();
        });
    }

    @Test
    void should_answer_from_the_fallbacks_when_the_calling_thread_call_times_out() {
        SentimentAnswer a = chain(true, d -> {
            throw new TimedOut("read timed out"); // what the provider's socket reports at its deadline
        }).classify(TEXT);

        assertThat(a.degraded()).isTrue();
        assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t).isSameAs(Thread.currentThread()));
    }
}
