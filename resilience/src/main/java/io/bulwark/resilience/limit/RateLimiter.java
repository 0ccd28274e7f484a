package io.bulwark.resilience.limit;

import io.bulwark.resilience.Ticker;

import java.util.Map;

/**
 * Per-model rate limits, checked before a call: in process (one instance's own count) or shared by a fleet (Redis,
 * in the {@code state} module). It never waits: a call over the limit is refused at once and goes elsewhere.
 */
public interface RateLimiter {

    /**
     * Takes one request and {@code tokens} from {@code model}'s allowance; returns false, taking nothing, when either
     * would go over. A model without a limit always passes.
     */
    boolean tryAcquire(String model, long tokens);

    /** Returns the limit of {@code model} (none: {@code RateLimit(0, 0)}). */
    RateLimit limit(String model);

    /** Returns a limiter counting in this process only, with time from {@code ticker}. */
    static RateLimiter inProcess(Map<String, RateLimit> limits, Ticker ticker) {
        return new LocalRateLimiter(limits, ticker);
    }
}
