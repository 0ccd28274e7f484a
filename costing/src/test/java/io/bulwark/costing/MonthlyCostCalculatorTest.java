package io.bulwark.costing;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MonthlyCostCalculatorTest {

    private final MonthlyCostCalculator calculator = new MonthlyCostCalculator(PriceTable.defaults());

    @Test
    void should_bill_the_seed_baseline_at_49500_dollars_a_month() {
        // 100,000 × 30 = 3,000,000 queries; 150 × $0.03/1K + 200 × $0.06/1K = $0.0045 + $0.012 = $0.0165 each;
        // 3,000,000 × $0.0165 = $49,500.
        MonthlyCostCalculator.MonthlyCost bill = calculator.calculate(100_000, 150, 200, Map.of("gpt-4", 1.0), 0.0);

        assertThat(bill.monthlyQueries()).isEqualTo(3_000_000);
        assertThat(bill.totalUsd()).isCloseTo(49_500.0, within(1e-6));
        assertThat(bill.per1000Queries()).isCloseTo(16.5, within(1e-9));
        assertThat(bill.arithmetic()).contains(
                "gpt-4: 3,000,000 × 1.00 share × (150 in × $30 + 200 out × $60) / 1M = 3,000,000 × $0.016500 = $49,500.00");
    }

    @Test
    void should_bill_a_model_mix_after_cache_hits_as_computed_by_hand() {
        // 3,000,000 queries, 40% cache hits → 1,800,000 paid.
        // gpt-4 20%: 360,000 × $0.0165 = $5,940.
        // gpt-3.5-turbo 80%: 1,440,000 × (150 × $1 + 200 × $2)/1M = 1,440,000 × $0.00055 = $792.
        Map<String, Double> mix = new LinkedHashMap<>();
        mix.put("gpt-4", 0.2);
        mix.put("gpt-3.5-turbo", 0.8);

        MonthlyCostCalculator.MonthlyCost bill = calculator.calculate(100_000, 150, 200, mix, 0.4);

        assertThat(bill.paidQueries()).isCloseTo(1_800_000, within(1e-6));
        assertThat(bill.byModel().get("gpt-4")).isCloseTo(5_940.0, within(1e-6));
        assertThat(bill.byModel().get("gpt-3.5-turbo")).isCloseTo(792.0, within(1e-6));
        assertThat(bill.totalUsd()).isCloseTo(6_732.0, within(1e-6));
    }

    @Test
    void should_charge_nothing_for_the_cached_pseudo_model_and_a_full_cache() {
        assertThat(calculator.calculate(100_000, 150, 200, Map.of("cached", 1.0), 0.0).totalUsd()).isZero();
        assertThat(calculator.calculate(100_000, 150, 200, Map.of("gpt-4", 1.0), 1.0).totalUsd()).isZero();
    }

    @Test
    void should_refuse_a_mix_that_does_not_sum_to_one_an_unpriced_model_and_a_rate_out_of_range() {
        assertThatThrownBy(() -> calculator.calculate(1, 1, 1, Map.of("gpt-4", 0.5), 0))
                .hasMessageContaining("must sum to 1");
        assertThatThrownBy(() -> calculator.calculate(1, 1, 1, Map.of("no-such-model", 1.0), 0))
                .hasMessageContaining("no price for model 'no-such-model'");
        assertThatThrownBy(() -> calculator.calculate(1, 1, 1, Map.of("gpt-4", 1.0), 1.5))
                .hasMessageContaining("cacheHitRate");
    }
}
