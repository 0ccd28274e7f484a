package io.bulwark.state;

import io.bulwark.costing.SharedSpending;

import io.bulwark.resilience.BreakerNews;
import io.bulwark.resilience.Cooldowns;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.resilience.limit.RateLimiter;

import io.bulwark.resilience.cache.CacheShare;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;

/**
 * An instance's link to the state its fleet shares on Redis: the daily budget's spending, rate limits per model and
 * breaker news. Every operation answers within {@link StateConfig#timeout()} or throws
 * {@link SharedStateUnavailable}, and the libraries then decide from in-process state; a lost connection is
 * re-opened in the background. Without a Redis URL there is no {@code SharedState}: every instance keeps its own
 * state in process (the default).
 */
public final class SharedState implements AutoCloseable {

    private final RedisLink link;
    private final RedisSpending spending;
    private final RedisBreakerNews breakerNews;
    private final List<RedisCacheShare> shares = new CopyOnWriteArrayList<>();

    private SharedState(RedisLink link) {
        this.link = link;
        this.spending = new RedisSpending(link);
        this.breakerNews = new RedisBreakerNews(link);
    }

    /** Starts connecting to Redis in the background and returns at once (a Redis that is down is not an error). */
    public static SharedState connect(StateConfig config) {
        return new SharedState(new RedisLink(Objects.requireNonNull(config, "config")));
    }

    /** Returns the daily budget's spending, shared by the fleet. */
    public SharedSpending spending() {
        return spending;
    }

    /**
     * Returns rate limits of {@code limits} shared by the fleet; while Redis is away, {@code alone} (the same limits
     * in process) decides.
     */
    public RateLimiter rateLimiter(Map<String, RateLimit> limits, Ticker ticker) {
        return new RedisRateLimiter(link, limits, RateLimiter.inProcess(limits, ticker));
    }

    /**
     * Returns the caches' second level shared by the fleet; semantic entries are shared among instances with the
     * same {@code embedder} (its name), since vectors of different embedders cannot be compared.
     */
    public CacheShare cacheShare(String embedder) {
        RedisCacheShare share = new RedisCacheShare(link, embedder);
        shares.add(share);
        return share;
    }

    /**
     * Returns cooldowns of (provider, model) choices that the fleet shares: each instance decides from its own copy,
     * timed by {@code ticker}, and hears the others' new cooldowns (dated by {@code clock}) on a Redis channel.
     */
    public Cooldowns cooldowns(Ticker ticker, java.time.Clock clock) {
        return new RedisCooldowns(link, clock, Cooldowns.inProcess(ticker));
    }

    /** Returns the fleet's breaker news. */
    public BreakerNews breakerNews() {
        return breakerNews;
    }

    /** Returns whether Redis answers. */
    public SharedStateHealth health() {
        return link;
    }

    /** Returns the configuration. */
    public StateConfig config() {
        return link.config();
    }

    @Override
    public void close() {
        shares.forEach(RedisCacheShare::close);
        link.close();
    }

    @Override
    public String toString() {
        return "SharedState[" + link.config() + "]";
    }
}
