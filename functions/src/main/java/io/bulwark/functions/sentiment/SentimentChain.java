package io.bulwark.functions.sentiment;

import io.bulwark.costing.PriceTable;
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
import io.bulwark.resilience.sentiment.Sentiment;
import io.bulwark.resilience.sentiment.SentimentLabel;
import io.bulwark.resilience.sentiment.SentimentProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sentiment request path, assembled in this one place, outermost first:
 * <pre>
 * ExactCache → Deadline(Fallbacks[rate limit, timeout, local model, template](
 *                  CircuitBreaker(TimeLimit(cheap LLM))))
 * </pre>
 * With no LLM configured, the local model is the first choice and the chain is
 * {@code ExactCache → Deadline(Fallbacks[template](local model))}. Only non-degraded answers are cached.
 */
public final class SentimentChain implements AutoCloseable {

    /** The answer of the template fallback: honest about knowing nothing. */
    static final Sentiment TEMPLATE_ANSWER = Sentiment.of(SentimentLabel.UNCERTAIN, 0.0);

    /**
     * Settings of the chain; see the {@code bulwark.*} properties for their meaning.
     */
    public record Settings(Duration deadline, Duration reserve, Duration llmTimeout, Duration fallbackTimeout,
                           Duration minimumRetryCall, long cacheSize, Duration cacheTtl, BreakerConfig breaker) {

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
            if (reserve.compareTo(deadline) >= 0) {
                throw new IllegalArgumentException("the reserve (" + reserve + ") must be shorter than the deadline ("
                        + deadline + ")");
            }
        }

        /** Returns the defaults with the given deadline. */
        public static Settings defaults(Duration deadline) {
            return new Settings(deadline, DEFAULT_RESERVE, DEFAULT_LLM_TIMEOUT, DEFAULT_FALLBACK_TIMEOUT,
                    DEFAULT_MINIMUM_RETRY_CALL, ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL,
                    BreakerConfig.defaults());
        }
    }

    private final ExactCache<Outcome<Sentiment>> cache;
    private final ErrorBoundary<String, Sentiment> boundary;
    private final Route<String, Sentiment> primary;
    private final Breaker breaker;
    private final PriceTable prices;
    private final Ticker ticker;
    private final ExecutorService executor;

    private SentimentChain(ExactCache<Outcome<Sentiment>> cache, ErrorBoundary<String, Sentiment> boundary,
                           Route<String, Sentiment> primary, Breaker breaker, PriceTable prices, Ticker ticker,
                           ExecutorService executor) {
        this.cache = cache;
        this.boundary = boundary;
        this.primary = primary;
        this.breaker = breaker;
        this.prices = prices;
        this.ticker = ticker;
        this.executor = executor;
    }

    /**
     * Assembles the chain.
     *
     * @param local    the in-process model: the first choice without an LLM, a fallback with one
     * @param cheapLlm the cheap LLM, if one is configured
     */
    public static SentimentChain assemble(Settings settings, SentimentProvider local,
                                          Optional<SentimentProvider> cheapLlm, PriceTable prices, Clock clock,
                                          Ticker ticker, Sleeper sleeper, BoundaryListener listener) {
        return assemble(settings, local, cheapLlm, prices, clock, ticker, sleeper, listener, null);
    }

    /**
     * Assembles the chain with LLM calls run on {@code callExecutor} (which the chain then owns and shuts
     * down) instead of its own virtual threads. Simulations in simulated time pass one that runs calls on
     * the caller's thread, so that no real-time wait decides their outcome.
     */
    public static SentimentChain assemble(Settings settings, SentimentProvider local,
                                          Optional<SentimentProvider> cheapLlm, PriceTable prices, Clock clock,
                                          Ticker ticker, Sleeper sleeper, BoundaryListener listener,
                                          ExecutorService callExecutor) {
        Route<String, Sentiment> localRoute = Route.of(Tier.LOCAL, local.model(), local::classify);
        ErrorBoundary.Builder<String, Sentiment> boundary = ErrorBoundary.<String, Sentiment>builder()
                .deadline(settings.deadline())
                .ticker(ticker)
                .listener(listener)
                .template(new TemplateFallback<>(text -> TEMPLATE_ANSWER));
        ExecutorService executor = null;
        Breaker breaker = null;
        Route<String, Sentiment> primary = localRoute;
        if (cheapLlm.isPresent()) {
            SentimentProvider llm = cheapLlm.get();
            executor = callExecutor != null ? callExecutor : Executors.newVirtualThreadPerTaskExecutor();
            breaker = Breaker.create(llm.model(), settings.breaker(), clock, ticker, listener::onTransition);
            Route<String, Sentiment> llmRoute = Route.of(Tier.LLM_CHEAP, llm.model(), llm::classify);
            primary = breaker.decorate(TimeLimit.of(settings.llmTimeout(), settings.reserve(), executor)
                    .decorate(llmRoute));
            Route<String, Sentiment> retry = breaker.decorate(
                    TimeLimit.of(settings.fallbackTimeout(), settings.reserve(), executor).decorate(llmRoute));
            boundary.fallback(new RateLimitFallback<>(sleeper, settings.minimumRetryCall(), settings.reserve()))
                    .fallback(new TimeoutFallback<>(retry))
                    .fallback(new LocalModelFallback<>(localRoute));
        }
        if (executor == null && callExecutor != null) {
            callExecutor.shutdown(); // no LLM to call: the chain owns it all the same
        }
        ExactCache<Outcome<Sentiment>> cache = ExactCache.create(settings.cacheSize(), settings.cacheTtl(), ticker);
        return new SentimentChain(cache, boundary.build(), primary, breaker, prices, ticker, executor);
    }

    /** Judges {@code text}, which the caller has validated. Never throws for provider trouble. */
    public SentimentResult classify(String text) {
        long start = ticker.read();
        Deadline deadline = Deadline.after(boundary.deadline(), ticker);
        Optional<Outcome<Sentiment>> hit = cache.get(text);
        if (hit.isPresent()) {
            Outcome<Sentiment> o = hit.get();
            return new SentimentResult(o.value(), Tier.CACHE, o.model(), "exact", null, false, 0.0, since(start));
        }
        Outcome<Sentiment> o = boundary.execute(text, primary, deadline);
        if (!o.degraded() && o.value().label() != SentimentLabel.UNCERTAIN) {
            cache.put(text, o);
        }
        double cost = prices.cost(o.model(), o.value().usage().inputTokens(), o.value().usage().outputTokens());
        return new SentimentResult(o.value(), o.tier(), o.model(), null, o.fallback(), o.degraded(), cost,
                since(start));
    }

    /** Returns the circuit breaker's state, if an LLM is configured. */
    public Optional<String> breakerState() {
        return Optional.ofNullable(breaker).map(Breaker::state);
    }

    /** Returns the chain's nesting, outermost first. */
    public String describe() {
        return "ExactCache(normalised-text hash, Caffeine)\n" + boundary.describe(primary.describe());
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
