package io.bulwark.costing;

import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Tier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CostLedgerTest {

    @Test
    void should_total_cost_per_function_model_and_tier_and_charge_the_budget() {
        DailyBudget budget = DailyBudget.of(1.0, 0.8, new SimulatedTime().clock());
        CostLedger ledger = new CostLedger(PriceTable.defaults(), budget);

        double gpt4 = ledger.record("sentiment", "gpt-4", Tier.LLM_STRONG, 150, 200);
        ledger.record("sentiment", "gpt-4o-mini", Tier.LLM_CHEAP, 1_000_000, 0);
        ledger.record("sentiment", "local-logreg-v2", Tier.LOCAL, 0, 0);
        ledger.record("sentiment", "gpt-4o-mini", Tier.CACHE, 0.0);

        assertThat(gpt4).isCloseTo(0.0165, within(1e-12));
        CostLedger.Snapshot s = ledger.snapshot();
        assertThat(s.total().answers()).isEqualTo(4);
        assertThat(s.total().usd()).isCloseTo(0.1665, within(1e-12));
        assertThat(s.byTier().get(Tier.LLM_CHEAP).usd()).isCloseTo(0.15, within(1e-12));
        assertThat(s.byTier().get(Tier.CACHE)).isEqualTo(new CostLedger.Total(1, 0.0));
        assertThat(s.byModel().get("gpt-4o-mini").answers()).isEqualTo(2);
        assertThat(s.byFunction().get("sentiment").usd()).isCloseTo(0.1665, within(1e-12));
        assertThat(budget.spentToday()).isCloseTo(0.1665, within(1e-12));
    }
}
