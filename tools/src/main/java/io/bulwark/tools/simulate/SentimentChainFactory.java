package io.bulwark.tools.simulate;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulatedChain;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.sentiment.SentimentProvider;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the real sentiment chain ({@link SentimentChain#builder()}) for each simulated strategy, with the
 * simulator's models in place of the LLMs and the simulator's time in place of the system's. A strategy with
 * the semantic cache gets the real one (the given embedder, normally the in-process MiniLM, and the polarity
 * guard), each embedding charged {@link #EMBEDDING_TIME} of simulated time. LLM calls run on the caller's
 * thread ({@link SimulatedTime#callExecutor()}), so no real-time wait decides an outcome.
 *
 * <p>Time is the shared {@link SimulatedTime}, started at the scenario's hour and only moved forward (requests
 * queue one after another). The models are the costing module's own ({@code io.bulwark.sentiment.simulate}), not
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
    public Optional<LocalSentimentModel> localModel() {
        return Optional.of(local);
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
        SentimentChain.Builder b = SentimentChain.builder()
                .settings(settings)
                .localModel(local)
                .ledger(new CostLedger(env.prices(), env.budget()))
                .clock(env.time().clock())
                .ticker(env.time())
                .sleeper(env.time())
                .listener(new BoundaryMetrics())
                .callExecutor(SimulatedTime.callExecutor());
        if (strategy.cheap() != null) {
            b.cheapLlm(env.models().get(strategy.cheap()));
        }
        if (strategy.strong() != null) {
            b.strongLlm(env.models().get(strategy.strong()));
        }
        if (strategy.router()) {
            b.router(new RouterConfig(strategy.localConfidence(), strategy.strongComplexity()));
        }
        if (strategy.semanticCache()) {
            b.embedder(timed(embedder, env.time()));
        }
        SentimentChain chain = b.build();
        return new SimulatedChain() {
            @Override
            public CostLedger ledger() {
                return chain.ledger();
            }

            @Override
            public SentimentAnswer serve(String text) {
                return chain.classify(text);
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
