package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.TimedOut;

import java.util.Objects;

/**
 * Answers from the in-process model after any failure of the first choice. Its answers are degraded:
 * honest, but not the quality that was asked for. Skipped when the deadline has already passed.
 */
public final class LocalModelFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = "local_model";

    private final Route<Q, V> local;

    public LocalModelFallback(Route<Q, V> local) {
        this.local = Objects.requireNonNull(local, "local");
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
        if (primary == local) {
            throw failure;
        }
        if (deadline.expired()) {
            throw new TimedOut("deadline passed before the local model could answer");
        }
        return new Outcome<>(local.call(request, deadline), local.tier(), local.model(), NAME, true);
    }

    @Override
    public String describe() {
        return "LocalModelFallback(" + local.describe() + ")";
    }
}
