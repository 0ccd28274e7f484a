package io.bulwark.functions.cli;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.costing.simulate.Scenario;
import io.bulwark.costing.simulate.SimulatedChain;
import io.bulwark.functions.sentiment.SentimentChain;
import io.bulwark.functions.sentiment.SentimentResult;
import io.bulwark.functions.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.sentiment.SentimentProvider;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the real sentiment chain ({@link SentimentChain#assemble}) for each simulated strategy, with the
 * simulator's models in place of the LLMs and the simulator's time in place of the system's.
 */
public final class SentimentChainFactory implements SimulatedChain.Factory {

    /** A strategy without the exact cache still gets one (the chain always has it) that forgets at once. */
    static final Duration NO_CACHE_TTL = Duration.ofNanos(1);

    private final LocalSentimentModel local;
    private final SentimentChain.Settings defaults;

    public SentimentChainFactory(LocalSentimentModel local, SentimentChain.Settings defaults) {
        this.local = Objects.requireNonNull(local, "local");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    @Override
    public String semanticCacheUnavailable() {
        return "the semantic cache is not in this build yet";
    }

    @Override
    public SimulatedChain build(Scenario.Strategy strategy, SimulatedChain.Environment env) {
        SentimentChain.Settings d = defaults;
        Scenario.Timing t = strategy.timing();
        SentimentChain.Settings settings = new SentimentChain.Settings(
                t.deadlineMs() > 0 ? Duration.ofMillis(t.deadlineMs()) : d.deadline(), d.reserve(),
                t.llmTimeoutMs() > 0 ? Duration.ofMillis(t.llmTimeoutMs()) : d.llmTimeout(),
                t.fallbackTimeoutMs() > 0 ? Duration.ofMillis(t.fallbackTimeoutMs()) : d.fallbackTimeout(),
                d.minimumRetryCall(), d.cacheSize(),
                strategy.exactCache() ? d.cacheTtl() : NO_CACHE_TTL, d.breaker(), SentimentChain.Semantic.disabled());
        Optional<SentimentProvider> cheap = Optional.ofNullable(strategy.cheap()).map(env.models()::get);
        Optional<SentimentProvider> strong = Optional.ofNullable(strategy.strong()).map(env.models()::get);
        SentimentChain.Costing costing = new SentimentChain.Costing(new CostLedger(env.prices(), env.budget()), strong,
                strategy.router()
                        ? Optional.of(new RouterConfig(strategy.localConfidence(), strategy.strongComplexity()))
                        : Optional.empty(),
                decision -> { });
        SentimentChain chain = SentimentChain.assemble(settings, local, cheap, Optional.empty(), costing,
                env.time().clock(), env.time(), env.time(), new BoundaryMetrics());
        return new SimulatedChain() {
            @Override
            public Served serve(String text) {
                SentimentResult r = chain.classify(text);
                return new Served(r.sentiment().label(), r.tier(), r.model(), r.cache(), r.fallback(), r.degraded(),
                        r.costUsd(), r.latency());
            }

            @Override
            public Map<String, Long> routerDecisions() {
                return chain.router().map(router -> router.decisions()).orElse(Map.of());
            }

            @Override
            public String describe() {
                return chain.describe();
            }

            @Override
            public void close() {
                chain.close();
            }
        };
    }
}
