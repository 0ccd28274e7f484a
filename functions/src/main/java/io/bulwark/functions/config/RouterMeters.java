package io.bulwark.functions.config;

import io.bulwark.costing.router.CostRouter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts the cost router's decisions as {@code bulwark.router.decisions} (tags {@code tier}, {@code reason}),
 * so that every routing choice is explained in the metrics.
 */
final class RouterMeters implements MeterBinder {

    private volatile MeterRegistry registry;

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts {@code decision}; decisions made before the registry is bound (none in practice) are not counted. */
    void record(CostRouter.Decision decision) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter("bulwark.router.decisions", "function", "sentiment", "tier", decision.tier().code(),
                    "reason", decision.reason()).increment();
        }
    }
}
