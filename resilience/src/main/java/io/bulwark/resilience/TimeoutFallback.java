package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.TimedOut;

import java.util.Objects;

/**
 * After a time-out, tries once more on a cheaper (or the same cheap) route that carries a shorter
 * time limit of its own. The answer is degraded only if it comes from a lower tier than asked for.
 */
public final class TimeoutFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = "timeout";

    private final Route<Q, V> cheaper;

    /** @param cheaper the route to try, already decorated with its shorter time limit and breaker */
    public TimeoutFallback(Route<Q, V> cheaper) {
        this.cheaper = Objects.requireNonNull(cheaper, "cheaper");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(BoundaryFailure failure) {
        return failure instanceof TimedOut;
    }

    @Override
    public Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline) {
        Outcome<V> o = cheaper.answer(request, deadline);
        boolean degraded = cheaper.tier().ordinal() < primary.tier().ordinal();
        return new Outcome<>(o.value(), o.tier(), o.model(), NAME, degraded);
    }

    @Override
    public String describe() {
        return "TimeoutFallback(retry once on " + cheaper.describe() + ")";
    }
}
