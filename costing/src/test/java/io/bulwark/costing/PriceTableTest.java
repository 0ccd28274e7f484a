package io.bulwark.costing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PriceTableTest {

    private final PriceTable table = PriceTable.defaults();

    @Test
    void should_price_the_workshop_gpt4_call_per_thousand_tokens() {
        // 150 in, 200 out at $0.03/$0.06 per 1K: 0.0045 + 0.012
        assertThat(table.cost("gpt-4", 150, 200)).isCloseTo(0.0165, within(1e-12));
    }

    @Test
    void should_price_a_dated_snapshot_as_its_model() {
        assertThat(table.cost("gpt-4o-mini-2024-07-18", 1_000_000, 0)).isCloseTo(0.15, within(1e-12));
    }

    @Test
    void should_prefer_the_longest_known_prefix() {
        assertThat(table.price("gpt-4o-2024-08-06")).contains(new Price(2.5, 10.0, 1.25));
    }

    @Test
    void should_charge_nothing_for_an_unknown_model() {
        assertThat(table.price("my-finetune-v3")).isEmpty();
        assertThat(table.cost("my-finetune-v3", 100, 100)).isZero();
    }
}
