package io.bulwark.costing;

import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DailyBudgetTest {

    private final SimulatedTime time = new SimulatedTime();

    @Test
    void should_turn_low_at_the_low_water_mark_and_exhausted_at_the_limit() {
        DailyBudget budget = DailyBudget.of(10.0, 0.8, time.clock());
        assertThat(budget.state()).isEqualTo(DailyBudget.State.OK);

        budget.spend(7.99);
        assertThat(budget.state()).isEqualTo(DailyBudget.State.OK);
        budget.spend(0.01);
        assertThat(budget.state()).isEqualTo(DailyBudget.State.LOW);
        budget.spend(2.0);
        assertThat(budget.state()).isEqualTo(DailyBudget.State.EXHAUSTED);
        assertThat(budget.remainingToday()).isZero();
    }

    /** A store in memory, standing in for a file across a "restart" (a new budget over the same store). */
    static final class KeptSpending implements BudgetStore {
        BudgetStore.Spending kept;

        @Override
        public java.util.Optional<Spending> load() {
            return java.util.Optional.ofNullable(kept);
        }

        @Override
        public void save(Spending spending) {
            kept = spending;
        }
    }

    @Test
    void should_resume_the_days_spending_after_a_restart_but_not_the_previous_days() {
        KeptSpending store = new KeptSpending();
        DailyBudget before = DailyBudget.of(10.0, 0.8, time.clock(), store);
        before.spend(8.5);

        DailyBudget restarted = DailyBudget.of(10.0, 0.8, time.clock(), store);

        assertThat(restarted.spentToday()).isEqualTo(8.5);
        assertThat(restarted.state()).isEqualTo(DailyBudget.State.LOW);
        time.advance(Duration.ofDays(1));
        assertThat(DailyBudget.of(10.0, 0.8, time.clock(), store).spentToday()).isZero();
    }

    @Test
    void should_start_afresh_on_the_next_utc_day() {
        DailyBudget budget = DailyBudget.of(1.0, 0.8, time.clock());
        budget.spend(1.0);
        assertThat(budget.state()).isEqualTo(DailyBudget.State.EXHAUSTED);

        time.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(budget.state()).isEqualTo(DailyBudget.State.EXHAUSTED);
        time.advance(Duration.ofMinutes(1));
        assertThat(budget.state()).isEqualTo(DailyBudget.State.OK);
        assertThat(budget.spentToday()).isZero();
    }

    @Test
    void should_never_be_low_without_a_limit() {
        DailyBudget budget = DailyBudget.unlimited(time.clock());
        budget.spend(1e9);
        assertThat(budget.state()).isEqualTo(DailyBudget.State.OK);
        assertThat(budget.limited()).isFalse();
    }

    @Test
    void should_refuse_a_zero_limit_and_negative_spending() {
        assertThatThrownBy(() -> DailyBudget.of(0, 0.8, time.clock())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DailyBudget.unlimited(time.clock()).spend(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
