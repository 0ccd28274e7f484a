package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.CircuitOpen;
import io.bulwark.resilience.failure.MalformedResponse;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A circuit breaker for one provider model, on resilience4j. Only failures that say something about
 * the provider's health count ({@link BoundaryFailure#countsAgainstProvider()}); rate limits and
 * invalid requests are ignored, and so are malformed answers unless {@link BreakerConfig#countMalformed()} (the
 * provider answered: its content is the re-ask's business). While open, calls fail at once with {@link CircuitOpen}.
 *
 * <p>The breaker records the outcome itself (rather than wrapping the call) so that a time limit
 * decorating the call inside it is seen as the failure it is.
 */
public final class Breaker {

    /** A state change of a breaker, as reported to listeners. */
    public record Transition(String name, String from, String to) {
    }

    private final CircuitBreaker breaker;
    private final Ticker ticker;
    private final Clock clock;
    private final java.time.Duration waitInOpenState;
    /** When the breaker last opened, by {@link #clock}: it lets a trial call through once the wait is over. */
    private volatile java.time.Instant openedAt = java.time.Instant.MIN;
    /** True on the thread that opens the breaker because another instance's opened: that opening is not news. */
    private final ThreadLocal<Boolean> openingOnNews = ThreadLocal.withInitial(() -> false);

    private Breaker(CircuitBreaker breaker, Ticker ticker, Clock clock, java.time.Duration waitInOpenState) {
        this.breaker = breaker;
        this.ticker = ticker;
        this.clock = clock;
        this.waitInOpenState = waitInOpenState;
    }

    /**
     * Returns a breaker named {@code name} with {@code config}; {@code clock} drives its open-state wait,
     * {@code ticker} measures call durations, {@code onTransition} hears each state change.
     */
    public static Breaker create(String name, BreakerConfig config, Clock clock, Ticker ticker,
                                 Consumer<Transition> onTransition) {
        Objects.requireNonNull(onTransition, "onTransition");
        CircuitBreakerConfig r4j = CircuitBreakerConfig.custom()
                .failureRateThreshold(config.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumNumberOfCalls())
                .waitDurationInOpenState(config.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(config.callsInHalfOpenState())
                .recordException(t -> counts(t, config))
                .ignoreException(t -> t instanceof BoundaryFailure && !counts(t, config))
                .clock(Objects.requireNonNull(clock, "clock"))
                .build();
        CircuitBreaker breaker = CircuitBreaker.of(name, r4j);
        Breaker b = new Breaker(breaker, Objects.requireNonNull(ticker, "ticker"), clock, config.waitInOpenState());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                b.openedAt = clock.instant();
            }
            onTransition.accept(new Transition(
                    name, e.getStateTransition().getFromState().name(), e.getStateTransition().getToState().name()));
        });
        return b;
    }

    /** Returns whether {@code t} counts as a failure of the provider's health under {@code config}. */
    private static boolean counts(Throwable t, BreakerConfig config) {
        return t instanceof BoundaryFailure f && f.countsAgainstProvider()
                && (config.countMalformed() || !(f instanceof MalformedResponse));
    }

    /**
     * As {@link #create(String, BreakerConfig, Clock, Ticker, Consumer)}, and tells {@code news} when this breaker
     * opens by itself, and opens it (from closed) when another instance's breaker of the same model did.
     */
    public static Breaker create(String name, BreakerConfig config, Clock clock, Ticker ticker,
                                 Consumer<Transition> onTransition, BreakerNews news) {
        Objects.requireNonNull(news, "news");
        Breaker[] self = new Breaker[1];
        Breaker b = create(name, config, clock, ticker, t -> {
            onTransition.accept(t);
            if ("OPEN".equals(t.to()) && self[0] != null && !self[0].openingOnNews.get()) {
                news.opened(name);
            }
        });
        self[0] = b;
        news.onOpened(model -> {
            if (model.equals(name)) {
                b.openOnNews();
            }
        });
        return b;
    }

    /**
     * Opens this breaker because another instance's breaker of the same model opened, if it is closed; it then tries
     * the model again after its own wait in the open state. A breaker already open or half open is left alone.
     */
    public void openOnNews() {
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            return;
        }
        openingOnNews.set(true);
        try {
            breaker.transitionToOpenState();
        } catch (IllegalStateException raced) {
            // another thread moved it first: nothing to do
        } finally {
            openingOnNews.set(false);
        }
    }

    /** Returns {@code route} guarded by this breaker. */
    public <Q, V> Route<Q, V> decorate(Route<Q, V> route) {
        return Route.decorated(route, "CircuitBreaker[" + breaker.getName() + "]",
                (request, deadline) -> call(() -> route.call(request, deadline)));
    }

    /**
     * Runs {@code call} guarded by this breaker, for a caller that is not a {@link Route} (a classifier version's load
     * or prediction): refused at once with {@link CircuitOpen} while open; its outcome recorded as a route's is (only a
     * {@link BoundaryFailure} that {@linkplain BoundaryFailure#countsAgainstProvider() counts} is a failure: map other
     * exceptions to one before they leave {@code call}).
     *
     * @throws CircuitOpen when the breaker refuses the call
     */
    public <V> V call(java.util.function.Supplier<V> call) {
        try {
            breaker.acquirePermission();
        } catch (CallNotPermittedException e) {
            throw new CircuitOpen("circuit breaker for " + breaker.getName() + " is "
                    + breaker.getState().name().toLowerCase(java.util.Locale.ROOT), e);
        }
        long start = ticker.read();
        try {
            V value = call.get();
            breaker.onSuccess(ticker.read() - start, TimeUnit.NANOSECONDS);
            return value;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // cancelled by us (a hedged request's loser): it says nothing of the provider's health
                breaker.releasePermission();
            } else {
                breaker.onError(ticker.read() - start, TimeUnit.NANOSECONDS, e);
            }
            throw e;
        }
    }

    /**
     * Returns true unless the breaker is open and its wait in the open state is not over: a call would then be
     * refused at once. Once the wait is over a call is let through as a trial (half open), so a route that skips
     * unhealthy choices still sends the trial that can close the breaker again. Reads only; changes nothing.
     */
    public boolean permitsCalls() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return true;
        }
        return !clock.instant().isBefore(openedAt.plus(waitInOpenState));
    }

    /** Returns the current state: CLOSED, OPEN, HALF_OPEN (or one of resilience4j's special states). */
    public String state() {
        return breaker.getState().name();
    }

    /** Returns the breaker's name. */
    public String name() {
        return breaker.getName();
    }
}
