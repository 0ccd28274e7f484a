package io.bulwark.functions.config;

import io.bulwark.costing.CostLedger;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.resilience.Tier;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the cost ledger: {@code bulwark.cost.usd} by tier and by model (every model of the price table),
 * and the daily budget's {@code bulwark.budget.spent} and {@code bulwark.budget.remaining} (US dollars today).
 */
record CostMeters(CostLedger ledger) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Tier tier : Tier.values()) {
            FunctionCounter.builder("bulwark.cost.usd", ledger, l -> l.usd(tier))
                    .tag("function", SentimentChain.FUNCTION).tag("tier", tier.code())
                    .baseUnit("usd").description("money spent on answers, by tier").register(registry);
        }
        for (String model : ledger.prices().prices().keySet()) {
            FunctionCounter.builder("bulwark.cost.model.usd", ledger, l -> l.usd(model))
                    .tag("model", model).baseUnit("usd").description("money spent on answers, by model")
                    .register(registry);
        }
        Gauge.builder("bulwark.budget.spent", ledger, l -> l.budget().spentToday())
                .baseUnit("usd").description("money spent today (UTC)").register(registry);
        Gauge.builder("bulwark.budget.remaining", ledger,
                        l -> l.budget().limited() ? l.budget().remainingToday() : Double.NaN)
                .baseUnit("usd").description("money left in today's budget (NaN without a limit)").register(registry);
    }
}
