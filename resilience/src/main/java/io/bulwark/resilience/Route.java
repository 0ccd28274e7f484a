package io.bulwark.resilience;

import java.util.Objects;

/**
 * A named way to answer: a tier, the model behind it, and the (possibly decorated) call.
 */
public interface Route<Q, V> extends Call<Q, V> {

    /** Returns the tier this route answers from. */
    Tier tier();

    /** Returns the model identifier reported with its answers. */
    String model();

    /** Returns the nesting of policies around the call, outermost first, e.g. {@code CircuitBreaker(TimeLimit(gpt-4o-mini))}. */
    String describe();

    /**
     * Answers {@code request} and says how: by default this route's tier and model, without fallback. A route that
     * chooses among several models ({@link Failover}) names the one that answered.
     */
    default Outcome<V> answer(Q request, Deadline deadline) {
        return Outcome.direct(call(request, deadline), this);
    }

    /** Returns an undecorated route. */
    static <Q, V> Route<Q, V> of(Tier tier, String model, Call<Q, V> call) {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(call, "call");
        return new Route<>() {
            @Override
            public V call(Q request, Deadline deadline) {
                return call.call(request, deadline);
            }

            @Override
            public Tier tier() {
                return tier;
            }

            @Override
            public String model() {
                return model;
            }

            @Override
            public String describe() {
                return model;
            }
        };
    }

    /** Returns a route answering from the same tier and model through another call, described as {@code policy(inner)}. */
    static <Q, V> Route<Q, V> decorated(Route<Q, V> inner, String policy, Call<Q, V> call) {
        return new Route<>() {
            @Override
            public V call(Q request, Deadline deadline) {
                return call.call(request, deadline);
            }

            @Override
            public Tier tier() {
                return inner.tier();
            }

            @Override
            public String model() {
                return inner.model();
            }

            @Override
            public String describe() {
                return policy + "(" + inner.describe() + ")";
            }
        };
    }
}
