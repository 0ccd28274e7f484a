package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;

import java.util.Objects;
import java.util.function.Function;

/**
 * The last step: always answers, from a template, without calling anything. Its answers are degraded.
 */
public final class TemplateFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = "template";

    private final Function<Q, V> template;

    public TemplateFallback(Function<Q, V> template) {
        this.template = Objects.requireNonNull(template, "template");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(BoundaryFailure failure) {
        return true;
    }

    @Override
    public Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline) {
        return new Outcome<>(template.apply(request), Tier.TEMPLATE, NAME, NAME, true);
    }


    @Override
    public String describe() {
        return "TemplateFallback(always answers)";
    }
}
