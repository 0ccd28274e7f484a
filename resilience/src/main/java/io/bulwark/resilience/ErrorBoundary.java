package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.Unavailable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The error boundary: runs the first-choice route within a per-request deadline and, when it fails,
 * walks an ordered fallback chain, ending in a template that always answers. It never throws.
 *
 * <p>The nesting it builds, outermost first: {@code Deadline(Fallbacks[f1, f2, ..., template](route))},
 * where each route is usually {@code CircuitBreaker(TimeLimit(provider))}.
 */
public final class ErrorBoundary<Q, V> {

    /** Default whole-request deadline. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);

    private final Duration deadline;
    private final Ticker ticker;
    private final List<Fallback<Q, V>> fallbacks;
    private final TemplateFallback<Q, V> template;
    private final BoundaryListener listener;

    private ErrorBoundary(Builder<Q, V> b) {
        this.deadline = b.deadline;
        this.ticker = b.ticker;
        this.fallbacks = List.copyOf(b.fallbacks);
        this.template = b.template;
        this.listener = b.listener;
    }

    /** Returns a builder. */
    public static <Q, V> Builder<Q, V> builder() {
        return new Builder<>();
    }

    /** Answers {@code request} through {@code primary} within a fresh deadline. */
    public Outcome<V> execute(Q request, Route<Q, V> primary) {
        return execute(request, primary, Deadline.after(deadline, ticker));
    }

    /** Answers {@code request} through {@code primary} within {@code deadline}. */
    public Outcome<V> execute(Q request, Route<Q, V> primary, Deadline deadline) {
        listener.onRequest();
        Outcome<V> outcome = attempt(request, primary, deadline);
        listener.onOutcome(outcome);
        return outcome;
    }

    private Outcome<V> attempt(Q request, Route<Q, V> primary, Deadline deadline) {
        BoundaryFailure failure;
        try {
            return primary.answer(request, deadline);
        } catch (RuntimeException e) {
            failure = typed(e);
            listener.onFailure(primary.model(), failure);
        }
        for (Fallback<Q, V> fallback : fallbacks) {
            if (!fallback.canHandle(failure)) {
                continue;
            }
            try {
                return fallback.recover(request, primary, failure, deadline);
            } catch (RuntimeException e) {
                BoundaryFailure next = typed(e);
                if (next != failure) {
                    listener.onFailure(fallback.name(), next);
                }
                failure = next;
            }
        }
        return template.recover(request, primary, failure, deadline);
    }

    /** A bug in a route must not escape the boundary: it is treated as the provider being unavailable. */
    private static BoundaryFailure typed(RuntimeException e) {
        return e instanceof BoundaryFailure f ? f : new Unavailable("unexpected " + e.getClass().getName(), e);
    }

    /** Returns the whole-request deadline. */
    public Duration deadline() {
        return deadline;
    }

    /** Returns the nesting of this boundary around {@code primary}, one policy per line, outermost first. */
    public String describe(String primary) {
        StringBuilder sb = new StringBuilder();
        sb.append("Deadline[").append(deadline.toMillis()).append("ms](\n");
        sb.append("  Fallbacks(\n");
        int i = 1;
        for (Fallback<Q, V> f : fallbacks) {
            sb.append("    ").append(i++).append(". ").append(f.describe()).append('\n');
        }
        sb.append("    ").append(i).append(". ").append(template.describe()).append('\n');
        sb.append("  )(").append(primary).append(")\n)");
        return sb.toString();
    }

    /**
     * Builds an {@link ErrorBoundary}. Each setting is checked at once and may be given only once.
     */
    public static final class Builder<Q, V> {
        private Duration deadline;
        private Ticker ticker;
        private final List<Fallback<Q, V>> fallbacks = new ArrayList<>();
        private TemplateFallback<Q, V> template;
        private BoundaryListener listener;

        private Builder() {
        }

        /** Sets the whole-request deadline (default {@link #DEFAULT_DEADLINE}). */
        public Builder<Q, V> deadline(Duration deadline) {
            requireUnset(this.deadline, "deadline");
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive: " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /** Sets the time source (default {@link Ticker#system()}). */
        public Builder<Q, V> ticker(Ticker ticker) {
            requireUnset(this.ticker, "ticker");
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Appends a fallback step; steps are tried in the order added. */
        public Builder<Q, V> fallback(Fallback<Q, V> fallback) {
            Objects.requireNonNull(fallback, "fallback");
            if (fallback instanceof TemplateFallback) {
                throw new IllegalArgumentException("the template is the last step: set it with template()");
            }
            fallbacks.add(fallback);
            return this;
        }

        /** Sets the last step, which always answers. Required. */
        public Builder<Q, V> template(TemplateFallback<Q, V> template) {
            requireUnset(this.template, "template");
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** Sets the listener (default none). */
        public Builder<Q, V> listener(BoundaryListener listener) {
            requireUnset(this.listener, "listener");
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Returns the boundary. */
        public ErrorBoundary<Q, V> build() {
            if (template == null) {
                throw new IllegalStateException("a template fallback is required: the boundary must always answer");
            }
            if (deadline == null) {
                deadline = DEFAULT_DEADLINE;
            }
            if (ticker == null) {
                ticker = Ticker.system();
            }
            if (listener == null) {
                listener = BoundaryListener.NONE;
            }
            return new ErrorBoundary<>(this);
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
