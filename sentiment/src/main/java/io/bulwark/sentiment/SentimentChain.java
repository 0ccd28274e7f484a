package io.bulwark.sentiment;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.Reservation;
import io.bulwark.costing.TokenEstimator;
import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.costing.router.CostRouter;
import io.bulwark.costing.router.RouterConfig;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.BreakerNews;
import io.bulwark.resilience.ThrottledFallback;
import io.bulwark.resilience.embedding.EmbedderBusy;
import io.bulwark.resilience.failure.Throttled;
import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.resilience.limit.RateLimiter;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Cooldowns;
import io.bulwark.resilience.Failover;
import io.bulwark.resilience.Hedge;
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
import io.bulwark.resilience.RetryBudget;
import io.bulwark.resilience.SameChoiceRetry;
import io.bulwark.resilience.TimeoutFallback;
import io.bulwark.resilience.cache.CacheShare;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.sentiment.guard.PolarityGuard;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.embedding.Embedder;
import io.bulwark.resilience.failure.BudgetExceeded;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The sentiment request path, assembled in this one place, outermost first:
 * <pre>
 * ExactCache → SemanticCache(+ PolarityGuard) → CostRouter → Deadline(Fallbacks[rate limit, timeout, local model,
 *     template](first choice: local model | BudgetGuard(CircuitBreaker(TimeLimit(Charge(cheap LLM))))
 *                                         | BudgetGuard(CircuitBreaker(TimeLimit(Charge(strong LLM))))))
 * → CostLedger
 * </pre>
 * An LLM tier of several (provider, model) choices ({@link Builder#cheapLlms}, {@link Builder#strongLlms}) is one
 * {@link Failover} around the choices, each decorated as above with its own breaker, limit and price:
 * {@code Failover[llm-cheap](openai:gpt-4o-mini: BudgetGuard(...) | anthropic:claude-3-5-haiku-latest: ...)}; a tier
 * of one choice is printed, and behaves, as before.
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


    /** The function name under which the ledger records this chain's answers. */
    public static final String FUNCTION = "sentiment";

    private final ExactCache<Outcome<Sentiment>> cache;
    private final SemanticCache<Outcome<Sentiment>> semantic;
    private final String semanticDescription;
    private final ErrorBoundary<String, Sentiment> boundary;
    private final Route<String, Sentiment> primary;
    private final Map<Tier, Route<String, Sentiment>> routes;
    private final CostRouter router;
    private final CostLedger ledger;
    private final Consumer<CostRouter.Decision> routingListener;
    private final Map<String, Breaker> breakers;
    private final Ticker ticker;
    private final ExecutorService executor;
    private final Map<String, TokenEstimator> estimators;
    private final CacheShare share;
    private final Duration shareTtl;
    private final LongAdder shareErrors = new LongAdder();
    private final LongAdder sharedReceived;
    private final LongAdder semanticErrors = new LongAdder();
    private final LongAdder semanticSkipped = new LongAdder();
    private final List<Failover<String, Sentiment>> failovers;
    private final Map<String, RetryBudget> retryBudgets;

    private SentimentChain(ExactCache<Outcome<Sentiment>> cache, SemanticCache<Outcome<Sentiment>> semantic,
                           String semanticDescription, ErrorBoundary<String, Sentiment> boundary,
                           Route<String, Sentiment> primary, Map<Tier, Route<String, Sentiment>> routes,
                           CostRouter router, CostLedger ledger, Consumer<CostRouter.Decision> routingListener,
                           Map<String, Breaker> breakers, Ticker ticker, ExecutorService executor,
                           Map<String, TokenEstimator> estimators, CacheShare share, Duration shareTtl,
                           LongAdder sharedReceived, List<Failover<String, Sentiment>> failovers,
                           Map<String, RetryBudget> retryBudgets) {
        this.failovers = failovers;
        this.retryBudgets = retryBudgets;
        this.sharedReceived = sharedReceived;
        this.estimators = estimators;
        this.share = share;
        this.shareTtl = shareTtl;
        this.cache = cache;
        this.semantic = semantic;
        this.semanticDescription = semanticDescription;
        this.boundary = boundary;
        this.primary = primary;
        this.routes = routes;
        this.router = router;
        this.ledger = ledger;
        this.routingListener = routingListener;
        this.breakers = breakers;
        this.ticker = ticker;
        this.executor = executor;
    }

    /** Returns a builder of the chain; the local model is required, everything else has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link SentimentChain}. Each setting is checked when given and may be given once; a second call is
     * refused, so a configuration mistake fails at build time rather than by a silent override.
     */
    public static final class Builder {

        private Settings settings;
        private LocalSentimentModel local;
        private List<LlmChoice> cheapLlms;
        private List<LlmChoice> strongLlms;
        private Cooldowns cooldowns;
        private Random random;
        private Duration defaultCooldown;
        private Boolean reaskSameChoice;
        private SameChoiceRetry sameChoiceRetry;
        private final Map<Tier, Hedge> hedges = new java.util.EnumMap<>(Tier.class);
        private java.util.function.LongConsumer hedgeSetTime;
        private Embedder embedder;
        private CostLedger ledger;
        private RouterConfig router;
        private Consumer<CostRouter.Decision> routingListener;
        private Clock clock;
        private Ticker ticker;
        private Sleeper sleeper;
        private BoundaryListener listener;
        private ExecutorService callExecutor;
        private RateLimiter rateLimiter;
        private BreakerNews breakerNews;
        private CacheShare cacheShare;

        private Builder() {
        }

        private static <T> T once(T current, T value, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
            return Objects.requireNonNull(value, name);
        }

        /** The deadline, time limits, caches and breaker; default {@link Settings#defaults(Duration)} of 2 s. */
        public Builder settings(Settings settings) {
            this.settings = once(this.settings, settings, "settings");
            return this;
        }

        /**
         * The in-process model (required): a first choice of the router (or the only one without an LLM), a fallback
         * with an LLM, the router's confidence signal and the polarity guard's judge.
         */
        public Builder localModel(LocalSentimentModel local) {
            this.local = once(this.local, local, "localModel");
            return this;
        }

        /** The cheap LLM; without it and without a strong one, the local model answers. */
        public Builder cheapLlm(SentimentProvider llm) {
            return cheapLlms(List.of(LlmChoice.unnamed(Objects.requireNonNull(llm, "cheapLlm"))));
        }

        /** The strong LLM, for texts the router finds complex (or the first choice when there is no cheap one). */
        public Builder strongLlm(SentimentProvider llm) {
            return strongLlms(List.of(LlmChoice.unnamed(Objects.requireNonNull(llm, "strongLlm"))));
        }

        /**
         * The cheap tier as an ordered list of (provider, model) choices, each with its own breaker, rate limit and
         * price, tried one after the other by {@link Failover}; instead of {@link #cheapLlm(SentimentProvider)}.
         */
        public Builder cheapLlms(List<LlmChoice> choices) {
            this.cheapLlms = once(this.cheapLlms, choices(choices), "cheapLlm");
            return this;
        }

        /** The strong tier as an ordered list of (provider, model) choices; instead of {@link #strongLlm}. */
        public Builder strongLlms(List<LlmChoice> choices) {
            this.strongLlms = once(this.strongLlms, choices(choices), "strongLlm");
            return this;
        }

        private static List<LlmChoice> choices(List<LlmChoice> choices) {
            List<LlmChoice> copy = List.copyOf(choices);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("a tier needs at least one choice");
            }
            if (copy.stream().map(LlmChoice::id).distinct().count() != copy.size()) {
                throw new IllegalArgumentException("a (provider, model) appears twice in a tier: "
                        + copy.stream().map(LlmChoice::id).toList());
            }
            return copy;
        }

        /**
         * Where a (provider, model) that answered 429 cools down, so that the tier skips it without a call; default
         * in process. The {@code state} module shares them with the fleet.
         */
        public Builder cooldowns(Cooldowns cooldowns) {
            this.cooldowns = once(this.cooldowns, cooldowns, "cooldowns");
            return this;
        }

        /** How long a 429 without {@code Retry-After} cools its choice; default {@link Failover#DEFAULT_COOLDOWN}. */
        public Builder defaultCooldown(Duration cooldown) {
            this.defaultCooldown = once(this.defaultCooldown, cooldown, "defaultCooldown");
            return this;
        }

        /**
         * Whether a malformed answer is re-asked of the same (provider, model) when its tier has no other choice
         * left (default false: as before, it goes to the fallbacks); another choice is always asked first.
         */
        public Builder reaskSameChoice(boolean reask) {
            this.reaskSameChoice = once(this.reaskSameChoice, reask, "reaskSameChoice");
            return this;
        }

        /**
         * When a tier has no other choice left, which failed calls are asked again of the same (provider, model)
         * within the deadline (a malformed answer, a 429 whose wait the deadline cannot hold), up to how many calls
         * and within which retry budget per choice; default {@link SameChoiceRetry#defaults()}.
         */
        public Builder sameChoiceRetry(SameChoiceRetry retry) {
            this.sameChoiceRetry = once(this.sameChoiceRetry, retry, "sameChoiceRetry");
            return this;
        }

        /**
         * Hedges the first calls of an LLM tier (default: no tier hedges): a call that has not answered by the tier's
         * recent p90 gets a second call to the tier's next healthy choice, within the policy's share of requests; the
         * first good answer wins ({@code fallback} {@link Failover#HEDGE} when the second call gave it) and the other
         * call is cancelled and charged the most it could cost, its prompt and {@code max-tokens} output tokens (the
         * provider may bill a call it started; the ledger errs on the side of the budget, as the budget guard's hold
         * does). The time-out retry is not hedged.
         */
        public Builder hedge(Tier tier, Hedge hedge) {
            if (tier != Tier.LLM_CHEAP && tier != Tier.LLM_STRONG) {
                throw new IllegalArgumentException("only LLM tiers hedge: " + tier);
            }
            if (hedges.putIfAbsent(tier, Objects.requireNonNull(hedge, "hedge")) != null) {
                throw new IllegalStateException("hedge of " + tier + " was already set");
            }
            return this;
        }

        /**
         * Replays hedged pairs in simulated time (with {@link #callExecutor} running calls on the caller's thread):
         * {@code setTime} sets the simulated ticker back to when the second call would have started. For
         * simulations only; see {@link Failover.Builder#simulatedTime}.
         */
        public Builder hedgeSimulatedTime(java.util.function.LongConsumer setTime) {
            this.hedgeSetTime = once(this.hedgeSetTime, setTime, "hedgeSimulatedTime");
            return this;
        }

        /** Draws each request's first choice of a tier by weight; default unseeded, seeded for repeatable runs. */
        public Builder random(Random random) {
            this.random = once(this.random, random, "random");
            return this;
        }

        /** The semantic cache's embedder; without one there is no semantic cache. */
        public Builder embedder(Embedder embedder) {
            this.embedder = once(this.embedder, embedder, "embedder");
            return this;
        }

        /** Records every answer's cost and charges the daily budget; default: the bundled prices, no budget. */
        public Builder ledger(CostLedger ledger) {
            this.ledger = once(this.ledger, ledger, "ledger");
            return this;
        }

        /** Routes each request's first choice by these thresholds; without it the first choice is fixed. */
        public Builder router(RouterConfig router) {
            this.router = once(this.router, router, "router");
            return this;
        }

        /** Hears every routing decision (metrics). */
        public Builder routingListener(Consumer<CostRouter.Decision> listener) {
            this.routingListener = once(this.routingListener, listener, "routingListener");
            return this;
        }

        /** The wall clock (breakers, budget days); default UTC. */
        public Builder clock(Clock clock) {
            this.clock = once(this.clock, clock, "clock");
            return this;
        }

        /** The monotonic time of deadlines and latencies; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = once(this.ticker, ticker, "ticker");
            return this;
        }

        /** How waiting out a rate limit sleeps; default {@link Sleeper#system()}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = once(this.sleeper, sleeper, "sleeper");
            return this;
        }

        /** Hears requests, failures, outcomes and breaker transitions (metrics, logs). */
        public Builder listener(BoundaryListener listener) {
            this.listener = once(this.listener, listener, "listener");
            return this;
        }

        /**
         * Runs LLM calls on {@code executor} (which the chain then owns and shuts down) instead of its own virtual
         * threads. Simulations in simulated time pass one that runs calls on the caller's thread, so that no
         * real-time wait decides their outcome; the semantic index then also partitions inline.
         */
        public Builder callExecutor(ExecutorService executor) {
            this.callExecutor = once(this.callExecutor, executor, "callExecutor");
            return this;
        }

        /**
         * Refuses a model's calls over its rate limit before they leave ({@link Throttled}): the request goes to the
         * next cheaper tier at once. Default: no limits.
         */
        public Builder rateLimiter(RateLimiter limiter) {
            this.rateLimiter = once(this.rateLimiter, limiter, "rateLimiter");
            return this;
        }

        /**
         * Shares non-degraded answers with the fleet: a second level under the exact cache, and new semantic entries
         * (with their embedding) that every instance adds to its own index. Default: no fleet.
         */
        public Builder cacheShare(CacheShare share) {
            this.cacheShare = once(this.cacheShare, share, "cacheShare");
            return this;
        }

        /** Tells the fleet when a breaker opens and opens this chain's when another's did. Default: no fleet. */
        public Builder breakerNews(BreakerNews news) {
            this.breakerNews = once(this.breakerNews, news, "breakerNews");
            return this;
        }

        /**
         * Assembles the chain.
         *
         * @throws IllegalStateException if no local model was given
         */
        public SentimentChain build() {
            if (local == null) {
                throw new IllegalStateException("a local model is required: it is the fallback of every LLM call");
            }
            Clock c = clock != null ? clock : Clock.systemUTC();
            return assemble(settings != null ? settings : Settings.defaults(ErrorBoundary.DEFAULT_DEADLINE), local,
                    new Llms(cheapLlms != null ? cheapLlms : List.of(), strongLlms != null ? strongLlms : List.of(),
                            cooldowns != null ? cooldowns : Cooldowns.inProcess(ticker != null ? ticker
                                    : Ticker.system()), random != null ? random : new Random(),
                            defaultCooldown != null ? defaultCooldown : Failover.DEFAULT_COOLDOWN,
                            reaskSameChoice != null && reaskSameChoice, Map.copyOf(hedges), hedgeSetTime,
                            sameChoiceRetry != null ? sameChoiceRetry : SameChoiceRetry.defaults(),
                            new ConcurrentHashMap<>()),
                    Optional.ofNullable(embedder),
                    ledger != null ? ledger : new CostLedger(PriceTable.defaults(), DailyBudget.unlimited(c)),
                    Optional.ofNullable(router), routingListener != null ? routingListener : d -> { }, c,
                    ticker != null ? ticker : Ticker.system(), sleeper != null ? sleeper : Sleeper.system(),
                    listener != null ? listener : new BoundaryListener() { }, callExecutor,
                    rateLimiter != null ? rateLimiter : RateLimiter.inProcess(Map.of(), ticker != null ? ticker
                            : Ticker.system()), breakerNews != null ? breakerNews : BreakerNews.NONE,
                    cacheShare != null ? cacheShare : CacheShare.NONE);
        }
    }

    /** The LLM tiers' choices and how a tier moves among them. */
    private record Llms(List<LlmChoice> cheap, List<LlmChoice> strong, Cooldowns cooldowns, Random random,
                        Duration defaultCooldown, boolean reaskSame, Map<Tier, Hedge> hedges,
                        java.util.function.LongConsumer hedgeSetTime, SameChoiceRetry retry,
                        Map<String, RetryBudget> retryBudgets) {
    }

    /** What every (provider, model) choice of a tier is decorated with. */
    private record Decoration(Settings settings, CostLedger ledger, Map<String, TokenEstimator> estimators,
                              RateLimiter limiter, ExecutorService executor, Map<String, Breaker> breakers,
                              Clock clock, Ticker ticker, BoundaryListener listener, BreakerNews news, Llms llms,
                              List<Failover<String, Sentiment>> failovers) {
    }

    /**
     * Returns a tier's route: its choices, each {@code BudgetGuard(CircuitBreaker(RateLimit(TimeLimit(Charge(llm)))))}
     * with its own breaker, limit and price, inside one {@link Failover} (printed as the choice alone when the tier
     * has one).
     */
    private static Failover<String, Sentiment> tier(Tier tier, List<LlmChoice> choices, Duration timeout,
                                                    boolean first, Decoration d) {
        Settings settings = d.settings();
        Failover.Builder<String, Sentiment> f = Failover.<String, Sentiment>builder()
                .tier(tier)
                .cooldowns(d.llms().cooldowns())
                .defaultCooldown(d.llms().defaultCooldown())
                .minimumCall(settings.minimumRetryCall())
                .reserve(settings.reserve())
                .random(d.llms().random())
                .reaskSameChoice(d.llms().reaskSame())
                .listener(d.listener());
        if (d.llms().retry().enabled()) {
            // one budget per (provider, model), shared by the tier's first route and its time-out retry
            f.sameChoiceRetry(d.llms().retry(),
                    id -> d.llms().retryBudgets().computeIfAbsent(id, k -> d.llms().retry().newBudget()));
            choices.forEach(c -> d.llms().retryBudgets().computeIfAbsent(c.id(), k -> d.llms().retry().newBudget()));
        }
        Hedge hedge = d.llms().hedges().get(tier);
        if (first && hedge != null && choices.size() > 1) {
            Map<String, SentimentProvider> byId = new LinkedHashMap<>();
            choices.forEach(c -> byId.put(c.id(), c.llm()));
            f.hedge(hedge, d.executor(), (id, text) -> d.ledger().charge(FUNCTION, id, tier,
                    d.estimators().get(id).chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text), 0,
                    byId.get(id).maxOutputTokens()));
            if (d.llms().hedgeSetTime() != null) {
                f.simulatedTime(d.llms().hedgeSetTime());
            }
        }
        for (LlmChoice c : choices) {
            String id = c.id();
            SentimentProvider llm = c.llm();
            d.estimators().computeIfAbsent(id, k -> TokenEstimator.forModel(llm.model()));
            Breaker breaker = d.breakers().computeIfAbsent(id, m -> Breaker.create(m, settings.breaker(), d.clock(),
                    d.ticker(), d.listener()::onTransition, d.news()));
            Route<String, Sentiment> route = charged(d.ledger(), Route.of(tier, id, llm::classify));
            // A provider that honours the deadline itself (its socket time-outs come from it) is called on the
            // request's thread: no hand-off to a virtual thread and back (BENCHMARKS.md, "Side by side with Portkey").
            // A time-out counts against the provider's breaker only if the call had at least a whole healthy call's
            // time (minimum-retry-call): one cut short by the request's earlier steps says nothing of the provider.
            TimeLimit timeLimit = TimeLimit.of(timeout, settings.reserve(), d.executor())
                    .withFairBudget(settings.minimumRetryCall());
            Route<String, Sentiment> bounded = llm.honoursDeadline() ? timeLimit.decorateOnCallingThread(route)
                    : timeLimit.decorate(route);
            Route<String, Sentiment> decorated = guarded(d.ledger(), d.estimators(), id, llm, breaker.decorate(
                    limited(d.limiter(), d.estimators(), id, llm, bounded)));
            f.choice(new Failover.Choice<>(id, decorated, c.weight(), breaker::permitsCalls));
        }
        Failover<String, Sentiment> built = f.build();
        d.failovers().add(built);
        return built;
    }

    private static SentimentChain assemble(Settings settings, LocalSentimentModel local,
                                           Llms llms, Optional<Embedder> embedder,
                                           CostLedger ledger, Optional<RouterConfig> routerConfig,
                                           Consumer<CostRouter.Decision> routingListener, Clock clock, Ticker ticker,
                                           Sleeper sleeper, BoundaryListener listener, ExecutorService callExecutor,
                                           RateLimiter limiter, BreakerNews news, CacheShare share) {
        Route<String, Sentiment> localRoute = Route.of(Tier.LOCAL, local.model(), local::classify);
        ErrorBoundary.Builder<String, Sentiment> boundary = ErrorBoundary.<String, Sentiment>builder()
                .deadline(settings.deadline())
                .ticker(ticker)
                .listener(listener)
                .template(new TemplateFallback<>(text -> TEMPLATE_ANSWER));
        Map<Tier, Route<String, Sentiment>> routes = new java.util.EnumMap<>(Tier.class);
        routes.put(Tier.LOCAL, localRoute);
        ExecutorService executor = null;
        // One breaker per (provider, model), in tier order; a model that is both the cheap and the strong one has one
        // health.
        Map<String, Breaker> breakers = new LinkedHashMap<>();
        Map<String, TokenEstimator> estimators = new ConcurrentHashMap<>();
        List<Failover<String, Sentiment>> failovers = new ArrayList<>();
        Route<String, Sentiment> retry = null;
        if (!llms.cheap().isEmpty() || !llms.strong().isEmpty()) {
            executor = callExecutor != null ? callExecutor : Executors.newVirtualThreadPerTaskExecutor();
            Decoration d = new Decoration(settings, ledger, estimators, limiter, executor, breakers, clock, ticker,
                    listener, news, llms, failovers);
            if (!llms.cheap().isEmpty()) {
                routes.put(Tier.LLM_CHEAP, tier(Tier.LLM_CHEAP, llms.cheap(), settings.llmTimeout(), true, d));
                retry = tier(Tier.LLM_CHEAP, llms.cheap(), settings.fallbackTimeout(), false, d);
            }
            if (!llms.strong().isEmpty()) {
                routes.put(Tier.LLM_STRONG, tier(Tier.LLM_STRONG, llms.strong(), settings.llmTimeout(), true, d));
                if (retry == null) {
                    retry = tier(Tier.LLM_STRONG, llms.strong(), settings.fallbackTimeout(), false, d);
                }
            }
            // A time-out is retried once with a shorter limit on the cheaper model (the strong one without it).
            boundary.fallback(new RateLimitFallback<>(sleeper, settings.minimumRetryCall(), settings.reserve()));
            List<Route<String, Sentiment>> paid = routes.values().stream().filter(r -> r.tier() != Tier.LOCAL)
                    .toList();
            if (breakers.keySet().stream().anyMatch(id -> limiter.limit(id).limits())) {
                // over our own limit of a model: the next cheaper tier at once, never a wait past the deadline
                boundary.fallback(new ThrottledFallback<>(paid));
            }
            // no retry when the deadline no longer leaves a call worth making: it could only time out, on the breaker
            boundary.fallback(new TimeoutFallback<>(retry, settings.minimumRetryCall().plus(settings.reserve())))
                    .fallback(new LocalModelFallback<>(localRoute));
        }
        Route<String, Sentiment> primary = routes.getOrDefault(Tier.LLM_CHEAP,
                routes.getOrDefault(Tier.LLM_STRONG, localRoute));
        CostRouter router = null;
        if (routerConfig.isPresent()) {
            router = CostRouter.builder()
                    .rules(CostRouter.defaultRules(routerConfig.get()))
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
        LongAdder received = new LongAdder();
        if (share != CacheShare.NONE) {
            SemanticCache<Outcome<Sentiment>> index = semantic;
            // Other instances' answers: into the exact cache, and with an embedding into this semantic index, where
            // the polarity guard judges them at lookup as it does this instance's own.
            share.subscribe(s.ttl(), entry -> decode(entry.value()).ifPresent(o -> {
                cache.put(entry.text(), o);
                if (index != null && entry.vector() != null) {
                    index.add(new SemanticCache.Probe(entry.text(), entry.vector()), o);
                }
                received.increment();
            }));
            semanticDescription += " + shared with the fleet (" + share + ")";
        }
        return new SentimentChain(cache, semantic, semanticDescription, boundary.build(), primary,
                Collections.unmodifiableMap(routes), router, ledger, routingListener,
                Collections.unmodifiableMap(breakers), ticker, executor, estimators, share, settings.cacheTtl(), received,
                List.copyOf(failovers), llms.retryBudgets());
    }

    /** The answer as the fleet shares it: {@code v1 TAB label TAB confidence TAB tier TAB model}. */
    static String encode(Outcome<Sentiment> o) {
        return "v1\t" + o.value().label().wire() + "\t" + o.value().confidence() + "\t" + o.tier().name() + "\t"
                + o.model();
    }

    /** Reads a shared answer; anything else (another version, a damaged value) is a miss. */
    static Optional<Outcome<Sentiment>> decode(String value) {
        String[] f = value.split("\t", 5);
        if (f.length != 5 || !f[0].equals("v1")) {
            return Optional.empty();
        }
        try {
            Optional<SentimentLabel> label = SentimentLabel.fromProvider(f[1]);
            double confidence = Double.parseDouble(f[2]);
            if (label.isEmpty() || !(confidence >= 0 && confidence <= 1)) {
                return Optional.empty();
            }
            return Optional.of(new Outcome<>(Sentiment.of(label.get(), confidence), Tier.valueOf(f[3]), f[4], null,
                    false));
        } catch (IllegalArgumentException damaged) {
            return Optional.empty();
        }
    }

    /**
     * Takes one request and the call's largest number of tokens from the model's rate limit before the call, and
     * refuses it ({@link Throttled}) when that would go over; a model without a limit is not decorated.
     */
    private static Route<String, Sentiment> limited(RateLimiter limiter, Map<String, TokenEstimator> estimators,
                                                    String model, SentimentProvider llm,
                                                    Route<String, Sentiment> route) {
        RateLimit limit = limiter.limit(model);
        if (!limit.limits()) {
            return route;
        }
        return Route.decorated(route, "RateLimit[" + model + ": " + limit.rpm() + " rpm, " + limit.tpm() + " tpm]",
                (text, deadline) -> {
                    TokenEstimator t = estimators.get(model);
                    long tokens = t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text) + llm.maxOutputTokens();
                    if (!limiter.tryAcquire(model, tokens)) {
                        throw new Throttled("over the rate limit of " + model + " (" + limit.rpm() + " rpm, "
                                + limit.tpm() + " tpm)");
                    }
                    return route.call(text, deadline);
                });
    }

    /**
     * Charges the ledger for a malformed or truncated answer that came with a token count (the provider bills it),
     * then lets the failure go on to the fallbacks; a 429 or an outage carries no count and costs nothing.
     */
    private static Route<String, Sentiment> charged(CostLedger ledger, Route<String, Sentiment> route) {
        return Route.decorated(route, "Charge", (text, deadline) -> {
            try {
                return route.call(text, deadline);
            } catch (MalformedResponse e) {
                e.billed().ifPresent(b -> ledger.charge(FUNCTION, route.model(), route.tier(), b.inputTokens(),
                        b.cachedInputTokens(), b.outputTokens()));
                throw e;
            }
        });
    }

    /**
     * Holds the call's largest cost (the prompt's tokens and the most output tokens, at the model's price) before a
     * paid call and refuses it once the day's spent and held money reaches the limit, so that neither fallbacks nor
     * other instances sharing the budget can overspend it by more than one call; settles the hold with the answer's
     * cost, or releases it when the call fails.
     */
    private static Route<String, Sentiment> guarded(CostLedger ledger, Map<String, TokenEstimator> estimators,
                                                    String model, SentimentProvider llm,
                                                    Route<String, Sentiment> route) {
        DailyBudget budget = ledger.budget();
        if (!budget.limited()) {
            return route;
        }
        return Route.decorated(route, "BudgetGuard", (text, deadline) -> {
            TokenEstimator t = estimators.get(model);
            double most = ledger.prices().cost(model, t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text),
                    llm.maxOutputTokens());
            Reservation hold = budget.reserve(most).orElseThrow(
                    () -> new BudgetExceeded("the daily budget of $" + budget.limitUsd() + " is spent"));
            Sentiment value;
            try {
                value = route.call(text, deadline);
            } catch (RuntimeException e) {
                hold.release();
                throw e;
            }
            TokenUsage used = usage(estimators, value, model, true, text);
            hold.settle(ledger.prices().cost(model, used.inputTokens(), used.cachedInputTokens(), used.outputTokens()));
            return value;
        });
    }

    /** Judges {@code text}, which the caller has validated. Never throws for provider trouble. */
    public SentimentAnswer classify(String text) {
        long start = ticker.read();
        Deadline deadline = Deadline.after(boundary.deadline(), ticker);
        Optional<Outcome<Sentiment>> hit = cache.get(text);
        if (hit.isEmpty() && share != CacheShare.NONE) {
            hit = shared(text);
        }
        if (hit.isPresent()) {
            Outcome<Sentiment> o = hit.get();
            ledger.record(FUNCTION, o.model(), Tier.CACHE, 0.0);
            return new SentimentAnswer(o.value().label(), o.value().confidence(), "exact", null, o.model(), Tier.CACHE,
                    null, false, 0.0, since(start), null);
        }
        SemanticCache.Probe probe = null;
        if (semantic != null) {
            try {
                probe = semantic.probe(text);
                Optional<SemanticCache.Hit<Outcome<Sentiment>>> similar = semantic.findSimilar(probe);
                if (similar.isPresent()) {
                    Outcome<Sentiment> o = similar.get().value();
                    ledger.record(FUNCTION, o.model(), Tier.CACHE, 0.0);
                    return new SentimentAnswer(o.value().label(), o.value().confidence(), "semantic",
                            similar.get().similarity(), o.model(), Tier.CACHE, null, false, 0.0, since(start), null);
                }
            } catch (EmbedderBusy busy) {
                // As many texts as the in-process embedder may take are being embedded: this one skips the cache
                // rather than queue for a core (and is not added to it).
                semanticSkipped.increment();
                probe = null;
            } catch (RuntimeException embedderFailed) {
                // A cache that cannot embed is a miss, never a failed request (e.g. a remote embedder is down).
                semanticErrors.increment();
                probe = null;
            }
        }
        Route<String, Sentiment> first = primary;
        if (router != null) {
            CostRouter.Decision decision = router.decide(text, ledger.budget().state());
            routingListener.accept(decision);
            first = routes.get(decision.tier());
        }
        Outcome<Sentiment> o = boundary.execute(text, first, deadline);
        if (!o.degraded() && o.value().label() != SentimentLabel.UNCERTAIN) {
            cache.put(text, o);
            if (probe != null) {
                semantic.add(probe, o);
            }
            share.publish(new CacheShare.Entry(ExactCache.keyOf(text), text, probe != null ? probe.vector() : null,
                    encode(o)), shareTtl);
        }
        boolean llm = o.tier() == Tier.LLM_CHEAP || o.tier() == Tier.LLM_STRONG;
        TokenUsage usage = usage(estimators, o.value(), o.model(), llm, text);
        double cost = ledger.prices().cost(o.model(), usage.inputTokens(), usage.cachedInputTokens(),
                usage.outputTokens());
        if (llm && ledger.budget().limited()) {
            ledger.recordSettled(FUNCTION, o.model(), o.tier(), cost); // its BudgetGuard charged the budget
        } else {
            ledger.record(FUNCTION, o.model(), o.tier(), cost);
        }
        return new SentimentAnswer(o.value().label(), o.value().confidence(), null, null, o.model(), o.tier(),
                o.fallback(), o.degraded(), cost, since(start), null);
    }

    /** The fleet's answer for {@code text}, kept in the exact cache once found; unreachable is a miss. */
    private Optional<Outcome<Sentiment>> shared(String text) {
        try {
            Optional<Outcome<Sentiment>> o = share.get(ExactCache.keyOf(text)).flatMap(SentimentChain::decode);
            o.ifPresent(found -> cache.put(text, found));
            return o;
        } catch (RuntimeException unreachable) {
            shareErrors.increment();
            return Optional.empty();
        }
    }

    /** Returns how many answers other instances shared with this chain's caches. */
    public long sharedEntriesReceived() {
        return sharedReceived.sum();
    }

    /** Returns how many lookups of the fleet's shared cache could not be answered (counted as misses). */
    public long sharedCacheErrors() {
        return shareErrors.sum();
    }

    /**
     * Returns the tokens of an answer: the provider's count, or, for an LLM that reported none, an estimate with
     * the model's tokenizer of the prompt sent and the contract's answer.
     */
    private static TokenUsage usage(Map<String, TokenEstimator> estimators, Sentiment value, String model,
                                    boolean llm, String text) {
        TokenUsage reported = value.usage();
        if (!llm || !reported.equals(TokenUsage.NONE)) {
            return reported;
        }
        TokenEstimator t = estimators.computeIfAbsent(model, TokenEstimator::forModel);
        String answer = "{\"sentiment\": \"" + value.label().wire() + "\", \"confidence\": "
                + value.confidence() + "}";
        return new TokenUsage(t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text), t.count(answer));
    }

    /** Returns the cost ledger. */
    public CostLedger ledger() {
        return ledger;
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

    /** Returns how many requests skipped the semantic cache because its in-process embedder was at its bound. */
    public long semanticSkipped() {
        return semanticSkipped.sum();
    }

    /**
     * Returns the tokens left in each LLM (provider, model)'s retry budget, by id (see {@link SameChoiceRetry}):
     * same-choice retries stop while half or less is left. Empty while same-choice retries are off.
     */
    public Map<String, Double> retryTokens() {
        Map<String, Double> tokens = new java.util.TreeMap<>();
        retryBudgets.forEach((id, budget) -> tokens.put(id, budget.tokens()));
        return Collections.unmodifiableMap(tokens);
    }

    /**
     * Returns the state of each LLM's circuit breaker by model, in tier order (cheap, then strong):
     * {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} (or one of resilience4j's special states). Empty without an
     * LLM. A snapshot: each call reads the breakers anew.
     */
    public Map<String, String> breakerStates() {
        Map<String, String> states = new LinkedHashMap<>();
        breakers.forEach((model, breaker) -> states.put(model, breaker.state()));
        return Collections.unmodifiableMap(states);
    }

    /**
     * Returns the counts of each LLM (provider, model) choice, in tier order: calls, answers, calls skipped while it
     * was cooling down, failures by type (first calls and time-out retries together), and its cooldown left now.
     */
    public List<Failover.ChoiceStats> choiceStats() {
        Map<String, Failover.ChoiceStats> byId = new LinkedHashMap<>();
        for (Failover<String, Sentiment> f : failovers) {
            for (Failover.ChoiceStats c : f.stats()) {
                byId.merge(c.id(), c, SentimentChain::sum);
            }
        }
        return List.copyOf(byId.values());
    }

    /** Returns the hedge counts of each hedging LLM tier. */
    public List<Failover.HedgeStats> hedgeStats() {
        return failovers.stream().flatMap(f -> f.hedgeStats().stream()).toList();
    }

    private static Failover.ChoiceStats sum(Failover.ChoiceStats a, Failover.ChoiceStats b) {
        Map<io.bulwark.resilience.failure.FailureType, Long> f = new java.util.EnumMap<>(
                io.bulwark.resilience.failure.FailureType.class);
        f.putAll(a.failures());
        b.failures().forEach((k, v) -> f.merge(k, v, Long::sum));
        return new Failover.ChoiceStats(a.id(), a.tier(), a.calls() + b.calls(), a.answers() + b.answers(),
                a.skipped() + b.skipped(), Map.copyOf(f), a.cooldown().compareTo(b.cooldown()) >= 0 ? a.cooldown()
                : b.cooldown());
    }

    /** Returns the chain's nesting, outermost first. */
    public String describe() {
        String first = router != null
                ? router.describe() + "\n" + boundary.describe(String.join(" | ", routes.values().stream()
                .map(Route::describe).toList()))
                : boundary.describe(primary.describe());
        return "ExactCache(normalised-text hash, Caffeine)\n" + semanticDescription + "\n" + first
                + "\nCostLedger(" + ledger.prices() + ", " + ledger.budget() + ")";
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
