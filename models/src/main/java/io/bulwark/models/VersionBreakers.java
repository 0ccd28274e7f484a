package io.bulwark.models;

import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.InvalidRequest;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.resilience.failure.Unavailable;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The circuit breakers of one model's versions (and variants), one {@link Breaker} per key ({@code v2}, or
 * {@code v1 int8}), made when the key is first used and named {@code <model> <key>} ({@code penguins v2}). A version
 * that keeps failing to load, failing or overrunning its attempt time-out is then skipped at once for the fallback
 * (no file read, no bulkhead place, no attempt time-out paid) until its wait in the open state is over, when trial
 * calls find out whether it recovered. Thread-safe.
 */
public final class VersionBreakers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VersionBreakers.class);

    /**
     * The defaults for a classifier version: a version's failures are mostly deterministic (a missing file, a broken
     * graph) or a steady overload, so a few calls tell; a smaller window than an LLM's opens after at most 5 calls.
     */
    public static final BreakerConfig DEFAULTS = new BreakerConfig(50f, 10, 5, java.time.Duration.ofSeconds(30), 3);

    private final String model;
    private final BreakerConfig config;
    private final Clock clock;
    private final Ticker ticker;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

    /**
     * @param model  the model the versions belong to ({@code penguins}, {@code digits}), the first word of each name
     * @param clock  drives each breaker's wait in the open state
     * @param ticker measures call durations
     */
    public VersionBreakers(String model, BreakerConfig config, Clock clock, Ticker ticker) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** Returns the settings every breaker here has. */
    public BreakerConfig config() {
        return config;
    }

    /**
     * Returns false while {@code key}'s breaker is open and its wait is not over (a call would be refused at once);
     * true for a key never called. Reads only.
     */
    public boolean permits(String key) {
        Breaker b = breakers.get(key);
        return b == null || b.permitsCalls();
    }

    /**
     * Runs {@code call} under {@code key}'s breaker. An exception that is not a {@link BoundaryFailure} counts as the
     * version failing: it is recorded as {@link Unavailable} and rethrown as it was; a {@link RequestRejected} (a full
     * bulkhead) is not counted.
     *
     * @throws io.bulwark.resilience.failure.CircuitOpen while the breaker refuses calls
     */
    public <V> V call(String key, Supplier<V> call) {
        RuntimeException[] original = new RuntimeException[1];
        try {
            return breaker(key).call(() -> {
                try {
                    return call.get();
                } catch (BoundaryFailure f) {
                    throw f;
                } catch (RequestRejected busy) {
                    // a full bulkhead says nothing of the version: ignored by the breaker
                    original[0] = busy;
                    throw new InvalidRequest(busy.getMessage(), busy);
                } catch (RuntimeException e) {
                    original[0] = e;
                    throw new Unavailable(name(key) + " failed: " + e.getClass().getSimpleName(), e);
                }
            });
        } catch (Unavailable | InvalidRequest wrapped) {
            if (original[0] != null) {
                throw original[0];
            }
            throw wrapped;
        }
    }

    /** Returns each breaker's state by name ({@code penguins v2} → {@code OPEN}), sorted; empty before any call. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((key, b) -> states.put(b.name(), b.state()));
        return states;
    }

    /** Returns {@code key}'s state ({@code CLOSED} for a key never called). */
    public String state(String key) {
        Breaker b = breakers.get(key);
        return b == null ? "CLOSED" : b.state();
    }

    private Breaker breaker(String key) {
        return breakers.computeIfAbsent(key, k -> Breaker.create(name(k), config, clock, ticker,
                t -> log.warn("circuit breaker of {}: {} → {}", t.name(), t.from(), t.to())));
    }

    private String name(String key) {
        return model + " " + key;
    }
}
