package io.bulwark.sentiment.simulate;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.sentiment.SentimentAnswer;

import java.util.Map;

/**
 * The request path under simulation: built by the application for each strategy (the real chain, with the
 * simulated models in place of the LLMs), and asked to answer each request of the workload in turn.
 */
public interface SimulatedChain extends AutoCloseable {

    /** What a chain is built from. */
    record Environment(SimulatedTime time, Map<String, SimulatedModel> models, PriceTable prices,
                       DailyBudget budget) {
    }

    /** Builds the chain of a strategy. */
    interface Factory {

        /** Returns the chain of {@code strategy}. */
        SimulatedChain build(Scenario.Strategy strategy, Environment environment);

        /** Returns the local model the chains use, so that the report can measure it on the labelled sample. */
        default java.util.Optional<io.bulwark.sentiment.local.LocalSentimentModel> localModel() {
            return java.util.Optional.empty();
        }
    }

    /** Returns the ledger the chain records every answer and every billed failure in. */
    CostLedger ledger();

    /** Answers {@code text}. */
    SentimentAnswer serve(String text);

    /** Returns the router's decisions so far by {@code tier|reason} (empty without a router). */
    Map<String, Long> routerDecisions();

    /** Returns the chain's nesting, as the application prints it. */
    String describe();

    @Override
    void close();
}
