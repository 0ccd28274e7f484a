package io.bulwark.functions.cli;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.costing.simulate.Scenario;
import io.bulwark.costing.simulate.SimulatedChain;
import io.bulwark.functions.sentiment.SentimentChain;
import io.bulwark.functions.sentiment.SentimentResult;
import io.bulwark.functions.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.sentiment.SentimentProvider;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the real sentiment chain ({@link SentimentChain#assemble}) for each simulated strategy, with the
 * simulator's models in place of the LLMs and the simulator's time in place of the system's. A strategy with
 * the semantic cache gets the real one (the given embedder, normally the in-process MiniLM, and the polarity
 * guard), each embedding charged {@link #EMBEDDING_TIME} of simulated time. LLM calls run on the caller's
 * thread ({@link SimulatedTime#callExecutor()}), so no real-time wait decides an outcome.
 *
 * <p>Time is the shared {@link SimulatedTime}, started at the scenario's hour and only moved forward (requests
 * queue one after another). The models are the costing module's own ({@code io.bulwark.costing.simulate}), not
 * the chaos module's {@code ChaosProvider}: the simulator needs models whose latency grows with their output
 * tokens, labels with errors correlated across models, and token usage in every answer; the chaos fakes model
 * none of these, and costing (plain Java) does not depend on the chaos module.
 */
public final class SentimentChainFactory implements SimulatedChain.Factory {

    /** A strategy without the exact cache still gets one (the chain always has it) that forgets at once. */
    static final Duration NO_CACHE_TTL = Duration.ofNanos(1);

    /**
     * The simulated time of one embedding: the in-process MiniLM's warm time (2.3 ms minimum measured, 2.8–4.9 ms
     * in DESIGN.md; BENCHMARKS.md "Lookup latency"). Fixed, so that the report does not depend on this machine.
     */
    static final Duration EMBEDDING_TIME = Duration.ofMillis(4);

    private final LocalSentimentModel local;
    private final SentimentChain.Settings defaults;
    private final Embedder embedder;

    /**
     * @param embedder the semantic cache's embedder, shared by the strategies that have one (a lazy one costs
     *                 nothing until such a strategy runs)
     */
    public SentimentChainFactory(LocalSentimentModel local, SentimentChain.Settings defaults, Embedder embedder) {
        this.local = Objects.requireNonNull(local, "local");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
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
                strategy.exactCache() ? d.cacheTtl() : NO_CACHE_TTL, d.breaker(),
                strategy.semanticCache() ? enabled(d.semantic()) : SentimentChain.Semantic.disabled());
        Optional<SentimentProvider> cheap = Optional.ofNullable(strategy.cheap()).map(env.models()::get);
        Optional<SentimentProvider> strong = Optional.ofNullable(strategy.strong()).map(env.models()::get);
        SentimentChain.Costing costing = new SentimentChain.Costing(new CostLedger(env.prices(), env.budget()), strong,
                strategy.router()
                        ? Optional.of(new RouterConfig(strategy.localConfidence(), strategy.strongComplexity()))
                        : Optional.empty(),
                decision -> { });
        Optional<Embedder> semantic = strategy.semanticCache()
                ? Optional.of(timed(embedder, env.time())) : Optional.empty();
        SentimentChain chain = SentimentChain.assemble(settings, local, cheap, semantic, costing, env.time().clock(),
                env.time(), env.time(), new BoundaryMetrics(), SimulatedTime.callExecutor());
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

    private static SentimentChain.Semantic enabled(SentimentChain.Semantic s) {
        return new SentimentChain.Semantic(true, s.threshold(), s.maximumSize(), s.ttl(), s.guard(), s.candidates(),
                s.exactSearchLimit(), s.probes(), s.withLocalModel());
    }

    /** {@code embedder}, each embedding advancing simulated time by {@link #EMBEDDING_TIME}. */
    private static Embedder timed(Embedder embedder, io.bulwark.resilience.SimulatedTime time) {
        return new Embedder() {
            @Override
            public String name() {
                return embedder.name() + " at " + EMBEDDING_TIME.toMillis() + " ms simulated";
            }

            @Override
            public int dimension() {
                return embedder.dimension();
            }

            @Override
            public float[] embed(String text) {
                time.advance(EMBEDDING_TIME);
                return embedder.embed(text);
            }
        };
    }
}
