package io.bulwark.resilience.limit;

import io.bulwark.resilience.Ticker;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Two token buckets per limited model, in this process. */
final class LocalRateLimiter implements RateLimiter {

    private static final double NANOS_PER_MINUTE = 60e9;
    private static final RateLimit NONE = new RateLimit(0, 0);

    private final Map<String, Buckets> buckets = new HashMap<>();
    private final Map<String, RateLimit> limits;
    private final Ticker ticker;

    LocalRateLimiter(Map<String, RateLimit> limits, Ticker ticker) {
        this.limits = Map.copyOf(limits);
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        long now = ticker.read();
        this.limits.forEach((model, limit) -> {
            if (limit.limits()) {
                buckets.put(model, new Buckets(limit, now));
            }
        });
    }

    @Override
    public boolean tryAcquire(String model, long tokens) {
        Buckets b = buckets.get(model);
        return b == null || b.tryAcquire(tokens, ticker.read());
    }

    @Override
    public RateLimit limit(String model) {
        return limits.getOrDefault(model, NONE);
    }

    @Override
    public String toString() {
        return "in process " + limits;
    }

    private static final class Buckets {
        final RateLimit limit;
        double requests;
        double tokens;
        long at;

        Buckets(RateLimit limit, long now) {
            this.limit = limit;
            this.requests = limit.rpm();
            this.tokens = limit.tpm();
            this.at = now;
        }

        synchronized boolean tryAcquire(long asked, long now) {
            double minutes = Math.max(0, now - at) / NANOS_PER_MINUTE;
            at = now;
            requests = Math.min(limit.rpm(), requests + minutes * limit.rpm());
            tokens = Math.min(limit.tpm(), tokens + minutes * limit.tpm());
            boolean fits = (limit.rpm() == 0 || requests >= 1) && (limit.tpm() == 0 || tokens >= asked);
            if (fits) {
                requests -= 1;
                tokens -= asked;
            }
            return fits;
        }
    }
}
