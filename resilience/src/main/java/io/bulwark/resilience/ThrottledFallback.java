package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.Throttled;

import java.util.List;

/**
 * After our own rate limit refused a model ({@link Throttled}), tries the next cheaper paid tier at once, then the
 * one below it, instead of waiting for the allowance; when none is left (or each refuses too) the failure passes on
 * to the local model. An answer from a lower tier than asked for is degraded.
 */
public final class ThrottledFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = RateLimitFallback.NAME;

    private final List<Route<Q, V>> paid;

    /** @param paid the paid routes, cheapest first, each decorated as a first choice is (limit, budget, breaker) */
    public ThrottledFallback(List<Route<Q, V>> paid) {
        this.paid = List.copyOf(paid);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(BoundaryFailure failure) {
        return failure instanceof Throttled;
    }

    @Override
    public Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline) {
        BoundaryFailure last = failure;
        for (int i = paid.size() - 1; i >= 0; i--) {
            Route<Q, V> cheaper = paid.get(i);
            if (cheaper.tier().ordinal() >= primary.tier().ordinal() || deadline.expired()) {
                continue;
            }
            try {
                Outcome<V> o = cheaper.answer(request, deadline);
                return new Outcome<>(o.value(), o.tier(), o.model(), NAME, true);
            } catch (BoundaryFailure f) {
                last = f;
            }
        }
        throw last;
    }

    @Override
    public String describe() {
        return "ThrottledFallback(over our rate limit: the next cheaper of " + paid.stream().map(Route::model).toList()
                + " at once, without waiting)";
    }
}
