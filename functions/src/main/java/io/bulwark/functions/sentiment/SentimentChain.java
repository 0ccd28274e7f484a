package io.bulwark.functions.sentiment;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.TokenEstimator;
import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.costing.router.CostRouter;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.ErrorBoundary;
import io.bulwark.resilience.LocalModelFallback;
import io.bulwark.resilience.Outcome;
import io.bulwark.resilience.RateLimitFallback;
import io.bulwark.resilience.Route;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.TemplateFallback;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.TimeLimit;
import io.bulwark.resilience.TimeoutFallback;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.cache.PolarityGuard;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.failure.BudgetExceeded;
import io.bulwark.functions.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.sentiment.Sentiment;
import io.bulwark.resilience.sentiment.SentimentLabel;
import io.bulwark.resilience.sentiment.SentimentProvider;
import io.bulwark.resilience.sentiment.TokenUsage;
import io.bulwark.resilience.sentiment.openai.OpenAiSentimentProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The sentiment request path, assembled in this one place, outermost first:
 * <pre>
 * ExactCache → SemanticCache(+ PolarityGuard) → CostRouter → Deadline(Fallbacks[rate limit, timeout, local model,
 *     template](first choice: local model | BudgetGuard(CircuitBreaker(TimeLimit(cheap LLM)))
 *                                         | BudgetGuard(CircuitBreaker(TimeLimit(strong LLM)))))
 * → CostLedger
 * </pre>
 * The cost router picks the first choice of each request (see {@link CostRouter}); without a router the first
 * choice is fixed: the cheap LLM, else the strong one, else the local model. With no LLM configured the chain is
 * {@code ExactCache → Deadline(Fallbacks[template](local model)) → CostLedger}: the semantic cache is left out
 * because an embedding (about 4 ms) costs more than the local model's answer (about 1 µs) and could only repeat
 * what the guard's local model says anyway; {@link Semantic#withLocalModel()} puts it back. Only non-degraded
 * answers are cached, in both caches. Every answer, cache hits included, is recorded in the cost ledger, which
 * charges the daily budget.
 */
public final class SentimentChain implements AutoCloseable {

    /** The answer of the template fallback: honest about knowing nothing. */
    static final Sentiment TEMPLATE_ANSWER = Sentiment.of(SentimentLabel.UNCERTAIN, 0.0);

    /**
     * Settings of the chain; see the {@code bulwark.*} properties for their meaning.
     */
    public record Settings(Duration deadline, Duration reserve, Duration llmTimeout, Duration fallbackTimeout,
                           Duration minimumRetryCall, long cacheSize, Duration cacheTtl, BreakerConfig breaker,
                           Semantic semantic) {

        public static final Duration DEFAULT_RESERVE = Duration.ofMillis(50);
        public static final Duration DEFAULT_LLM_TIMEOUT = Duration.ofMillis(1200);
        public static final Duration DEFAULT_FALLBACK_TIMEOUT = Duration.ofMillis(500);
        public static final Duration DEFAULT_MINIMUM_RETRY_CALL = Duration.ofMillis(200);

        public Settings {
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(reserve, "reserve");
            Objects.requireNonNull(llmTimeout, "llmTimeout");
            Objects.requireNonNull(fallbackTimeout, "fallbackTimeout");
            Objects.requireNonNull(minimumRetryCall, "minimumRetryCall");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(breaker, "breaker");
            Objects.requireNonNull(semantic, "semantic");
            if (reserve.compareTo(deadline) >= 0) {
                throw new IllegalArgumentException("the reserve (" + reserve + ") must be shorter than the deadline ("
                        + deadline + ")");
            }
        }

        /** Returns the defaults with the given deadline. */
        public static Settings defaults(Duration deadline) {
            return new Settings(deadline, DEFAULT_RESERVE, DEFAULT_LLM_TIMEOUT, DEFAULT_FALLBACK_TIMEOUT,
                    DEFAULT_MINIMUM_RETRY_CALL, ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL,
                    BreakerConfig.defaults(), Semantic.defaults());
        }

        /** Returns these settings with other semantic-cache settings. */
        public Settings withSemantic(Semantic semantic) {
            return new Settings(deadline, reserve, llmTimeout, fallbackTimeout, minimumRetryCall, cacheSize, cacheTtl,
                    breaker, semantic);
        }
    }

    /**
     * Settings of the semantic cache; see the {@code bulwark.cache.semantic.*} properties.
     *
     * @param enabled       whether the chain has a semantic cache (when an embedder is given)
     * @param guard         whether hits must pass the {@link PolarityGuard}
     * @param withLocalModel whether to keep the cache when the local model is the first choice
     */
    public record Semantic(boolean enabled, double threshold, long maximumSize, Duration ttl, boolean guard,
                           int candidates, int exactSearchLimit, int probes, boolean withLocalModel) {

        public Semantic {
            Objects.requireNonNull(ttl, "ttl");
        }

        public static Semantic defaults() {
            return new Semantic(true, SemanticCache.DEFAULT_THRESHOLD, SemanticCache.DEFAULT_MAXIMUM_SIZE,
                    SemanticCache.DEFAULT_TTL, true, SemanticCache.DEFAULT_CANDIDATES,
                    SemanticCache.DEFAULT_EXACT_SEARCH_LIMIT, SemanticCache.DEFAULT_PROBES, false);
        }

        public static Semantic disabled() {
            Semantic d = defaults();
            return new Semantic(false, d.threshold, d.maximumSize, d.ttl, d.guard, d.candidates, d.exactSearchLimit,
                    d.probes, d.withLocalModel);
        }
    }


    /**
     * The cost side of the chain.
     *
     * @param ledger    records every answer's cost and charges the daily budget
     * @param strongLlm the strong LLM, if one is configured
     * @param router    the router's thresholds, or empty for a fixed first choice
     * @param listener  hears every routing decision (metrics)
     */
    public record Costing(CostLedger ledger, Optional<SentimentProvider> strongLlm, Optional<RouterConfig> router,
                          Consumer<CostRouter.Decision> listener) {

        public Costing {
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(strongLlm, "strongLlm");
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(listener, "listener");
        }

        /** Returns the cost side of the chain before the router: a fixed first choice, no budget, no strong LLM. */
        public static Costing fixed(PriceTable prices, Clock clock) {
            return new Costing(new CostLedger(prices, DailyBudget.unlimited(clock)), Optional.empty(), Optional.empty(),
                    d -> { });
        }
    }

    /** The function name under which the ledger records this chain's answers. */
    public static final String FUNCTION = "sentiment";

    private final ExactCache<Outcome<Sentiment>> cache;
    private final SemanticCache<Outcome<Sentiment>> semantic;
    private final String semanticDescription;
    private final ErrorBoundary<String, Sentiment> boundary;
    private final Route<String, Sentiment> primary;
    private final Map<Tier, Route<String, Sentiment>> routes;
    private final CostRouter router;
    private final Costing costing;
    private final Breaker breaker;
    private final Ticker ticker;
    private final ExecutorService executor;
    private final Map<String, TokenEstimator> estimators = new ConcurrentHashMap<>();
    private final LongAdder semanticErrors = new LongAdder();

    private SentimentChain(ExactCache<Outcome<Sentiment>> cache, SemanticCache<Outcome<Sentiment>> semantic,
                           String semanticDescription, ErrorBoundary<String, Sentiment> boundary,
                           Route<String, Sentiment> primary, Map<Tier, Route<String, Sentiment>> routes,
                           CostRouter router, Costing costing, Breaker breaker, Ticker ticker,
                           ExecutorService executor) {
        this.cache = cache;
        this.semantic = semantic;
        this.semanticDescription = semanticDescription;
        this.boundary = boundary;
        this.primary = primary;
        this.routes = routes;
        this.router = router;
        this.costing = costing;
        this.breaker = breaker;
        this.ticker = ticker;
        this.executor = executor;
    }

    /**
     * Assembles the chain.
     *
     * @param local    the in-process model: a first choice of the router (or the only one without an LLM), a
     *                 fallback with an LLM, the router's confidence signal and the polarity guard's judge
     * @param cheapLlm the cheap LLM, if one is configured
     * @param embedder the semantic cache's embedder; without one there is no semantic cache
     * @param costing  the ledger, the strong LLM and the router
     */
    public static SentimentChain assemble(Settings settings, LocalSentimentModel local,
                                          Optional<SentimentProvider> cheapLlm, Optional<Embedder> embedder,
                                          Costing costing, Clock clock, Ticker ticker, Sleeper sleeper,
                                          BoundaryListener listener) {
        return assemble(settings, local, cheapLlm, embedder, costing, clock, ticker, sleeper, listener, null);
    }

    /**
     * Assembles the chain with LLM calls run on {@code callExecutor} (which the chain then owns and shuts
     * down) instead of its own virtual threads. Simulations in simulated time pass one that runs calls on
     * the caller's thread, so that no real-time wait decides their outcome.
     */
    public static SentimentChain assemble(Settings settings, LocalSentimentModel local,
                                          Optional<SentimentProvider> cheapLlm, Optional<Embedder> embedder,
                                          Costing costing, Clock clock, Ticker ticker, Sleeper sleeper,
                                          BoundaryListener listener, ExecutorService callExecutor) {
        Route<String, Sentiment> localRoute = Route.of(Tier.LOCAL, local.model(), local::classify);
        ErrorBoundary.Builder<String, Sentiment> boundary = ErrorBoundary.<String, Sentiment>builder()
                .deadline(settings.deadline())
                .ticker(ticker)
                .listener(listener)
                .template(new TemplateFallback<>(text -> TEMPLATE_ANSWER));
        Map<Tier, Route<String, Sentiment>> routes = new java.util.EnumMap<>(Tier.class);
        routes.put(Tier.LOCAL, localRoute);
        ExecutorService executor = null;
        Breaker breaker = null;
        Route<String, Sentiment> retry = null;
        Optional<SentimentProvider> strongLlm = costing.strongLlm();
        if (cheapLlm.isPresent() || strongLlm.isPresent()) {
            executor = callExecutor != null ? callExecutor : Executors.newVirtualThreadPerTaskExecutor();
            DailyBudget budget = costing.ledger().budget();
            if (cheapLlm.isPresent()) {
                SentimentProvider llm = cheapLlm.get();
                breaker = Breaker.create(llm.model(), settings.breaker(), clock, ticker, listener::onTransition);
                Route<String, Sentiment> route = Route.of(Tier.LLM_CHEAP, llm.model(), llm::classify);
                routes.put(Tier.LLM_CHEAP, guarded(budget, breaker.decorate(
                        TimeLimit.of(settings.llmTimeout(), settings.reserve(), executor).decorate(route))));
                retry = guarded(budget, breaker.decorate(
                        TimeLimit.of(settings.fallbackTimeout(), settings.reserve(), executor).decorate(route)));
            }
            if (strongLlm.isPresent()) {
                SentimentProvider llm = strongLlm.get();
                Breaker strongBreaker = Breaker.create(llm.model(), settings.breaker(), clock, ticker,
                        listener::onTransition);
                if (breaker == null) {
                    breaker = strongBreaker;
                }
                Route<String, Sentiment> route = Route.of(Tier.LLM_STRONG, llm.model(), llm::classify);
                routes.put(Tier.LLM_STRONG, guarded(budget, strongBreaker.decorate(
                        TimeLimit.of(settings.llmTimeout(), settings.reserve(), executor).decorate(route))));
                if (retry == null) {
                    retry = guarded(budget, strongBreaker.decorate(
                            TimeLimit.of(settings.fallbackTimeout(), settings.reserve(), executor).decorate(route)));
                }
            }
            // A time-out is retried once with a shorter limit on the cheaper model (the strong one without it).
            boundary.fallback(new RateLimitFallback<>(sleeper, settings.minimumRetryCall(), settings.reserve()))
                    .fallback(new TimeoutFallback<>(retry))
                    .fallback(new LocalModelFallback<>(localRoute));
        }
        Route<String, Sentiment> primary = routes.getOrDefault(Tier.LLM_CHEAP,
                routes.getOrDefault(Tier.LLM_STRONG, localRoute));
        CostRouter router = null;
        if (costing.router().isPresent()) {
            router = CostRouter.builder()
                    .rules(CostRouter.defaultRules(costing.router().get()))
                    .available(EnumSet.copyOf(routes.keySet()))
                    .estimator(new ComplexityEstimator(local::positiveProbability))
                    .build();
        }
        if (executor == null && callExecutor != null) {
            callExecutor.shutdown(); // no LLM to call: the chain owns it all the same
        }
        ExactCache<Outcome<Sentiment>> cache = ExactCache.create(settings.cacheSize(), settings.cacheTtl(), ticker);
        Semantic s = settings.semantic();
        SemanticCache<Outcome<Sentiment>> semantic = null;
        String semanticDescription;
        if (!s.enabled()) {
            semanticDescription = "SemanticCache: off (bulwark.cache.semantic.enabled=false)";
        } else if (embedder.isEmpty()) {
            semanticDescription = "SemanticCache: off (no embedder)";
        } else if (executor == null && !s.withLocalModel()) {
            semanticDescription = "SemanticCache: skipped (the local model answers first and costs less than an"
                    + " embedding; bulwark.cache.semantic.with-local-model=true keeps it)";
        } else {
            SemanticCache.Builder<Outcome<Sentiment>> b = SemanticCache.<Outcome<Sentiment>>builder()
                    .embedder(embedder.get())
                    .threshold(s.threshold())
                    .maximumSize(s.maximumSize())
                    .ttl(s.ttl())
                    .ticker(ticker)
                    .candidates(s.candidates())
                    .exactSearchLimit(s.exactSearchLimit())
                    .probes(s.probes());
            if (callExecutor != null) {
                b.maintenance(Runnable::run); // a simulation: the same numbers every run, nothing in the background
            }
            if (s.guard()) {
                b.guard(PolarityGuard.of(local::positiveProbability, local::evidence,
                        (Outcome<Sentiment> o) -> o.value().label()));
            }
            semantic = b.build();
            semanticDescription = semantic.describe();
        }
        return new SentimentChain(cache, semantic, semanticDescription, boundary.build(), primary,
                java.util.Collections.unmodifiableMap(routes), router, costing, breaker, ticker, executor);
    }

    /** Refuses paid calls once the day's budget is spent, so that fallbacks cannot overspend it either. */
    private static Route<String, Sentiment> guarded(DailyBudget budget, Route<String, Sentiment> route) {
        if (!budget.limited()) {
            return route;
        }
        return Route.decorated(route, "BudgetGuard", (text, deadline) -> {
            if (budget.state() == DailyBudget.State.EXHAUSTED) {
                throw new BudgetExceeded("the daily budget of $" + budget.limitUsd() + " is spent");
            }
            return route.call(text, deadline);
        });
    }

    /** Judges {@code text}, which the caller has validated. Never throws for provider trouble. */
    public SentimentResult classify(String text) {
        long start = ticker.read();
        Deadline deadline = Deadline.after(boundary.deadline(), ticker);
        Optional<Outcome<Sentiment>> hit = cache.get(text);
        if (hit.isPresent()) {
            Outcome<Sentiment> o = hit.get();
            costing.ledger().record(FUNCTION, o.model(), Tier.CACHE, 0.0);
            return new SentimentResult(o.value(), Tier.CACHE, o.model(), "exact", null, null, false, 0.0,
                    since(start));
        }
        SemanticCache.Probe probe = null;
        if (semantic != null) {
            try {
                probe = semantic.probe(text);
                Optional<SemanticCache.Hit<Outcome<Sentiment>>> similar = semantic.findSimilar(probe);
                if (similar.isPresent()) {
                    Outcome<Sentiment> o = similar.get().value();
                    costing.ledger().record(FUNCTION, o.model(), Tier.CACHE, 0.0);
                    return new SentimentResult(o.value(), Tier.CACHE, o.model(), "semantic",
                            similar.get().similarity(), null, false, 0.0, since(start));
                }
            } catch (RuntimeException embedderFailed) {
                // A cache that cannot embed is a miss, never a failed request (e.g. a remote embedder is down).
                semanticErrors.increment();
                probe = null;
            }
        }
        Route<String, Sentiment> first = primary;
        if (router != null) {
            CostRouter.Decision decision = router.decide(text, costing.ledger().budget().state());
            costing.listener().accept(decision);
            first = routes.get(decision.tier());
        }
        Outcome<Sentiment> o = boundary.execute(text, first, deadline);
        if (!o.degraded() && o.value().label() != SentimentLabel.UNCERTAIN) {
            cache.put(text, o);
            if (probe != null) {
                semantic.add(probe, o);
            }
        }
        TokenUsage usage = usage(o, text);
        double cost = costing.ledger().record(FUNCTION, o.model(), o.tier(), usage.inputTokens(), usage.outputTokens());
        return new SentimentResult(o.value(), o.tier(), o.model(), null, null, o.fallback(), o.degraded(), cost,
                since(start));
    }

    /**
     * Returns the tokens of an answer: the provider's count, or, for an LLM that reported none, an estimate with
     * the model's tokenizer of the prompt sent and the contract's answer.
     */
    private TokenUsage usage(Outcome<Sentiment> o, String text) {
        TokenUsage reported = o.value().usage();
        boolean llm = o.tier() == Tier.LLM_CHEAP || o.tier() == Tier.LLM_STRONG;
        if (!llm || !reported.equals(TokenUsage.NONE)) {
            return reported;
        }
        TokenEstimator t = estimators.computeIfAbsent(o.model(), TokenEstimator::forModel);
        String answer = "{\"sentiment\": \"" + o.value().label().wire() + "\", \"confidence\": "
                + o.value().confidence() + "}";
        return new TokenUsage(t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text), t.count(answer));
    }

    /** Returns the cost ledger. */
    public CostLedger ledger() {
        return costing.ledger();
    }

    /** Returns the cost router, if the first choice is routed. */
    public Optional<CostRouter> router() {
        return Optional.ofNullable(router);
    }

    /** Returns the semantic cache's counts, if the chain has one. */
    public Optional<SemanticCache.Stats> semanticStats() {
        return Optional.ofNullable(semantic).map(SemanticCache::stats);
    }

    /** Returns how many requests found the semantic cache unable to embed them. */
    public long semanticErrors() {
        return semanticErrors.sum();
    }

    /** Returns the circuit breaker's state, if an LLM is configured. */
    public Optional<String> breakerState() {
        return Optional.ofNullable(breaker).map(Breaker::state);
    }

    /** Returns the chain's nesting, outermost first. */
    public String describe() {
        String first = router != null
                ? router.describe() + "\n" + boundary.describe(String.join(" | ", routes.values().stream()
                .map(Route::describe).toList()))
                : boundary.describe(primary.describe());
        return "ExactCache(normalised-text hash, Caffeine)\n" + semanticDescription + "\n" + first
                + "\nCostLedger(" + costing.ledger().prices() + ", " + costing.ledger().budget() + ")";
    }

    private Duration since(long start) {
        return Duration.ofNanos(ticker.read() - start);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
