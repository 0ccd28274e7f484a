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

    @Test
    void should_refuse_a_hold_once_spent_and_held_money_reaches_the_limit() {
        DailyBudget budget = DailyBudget.of(1.0, 0.8, time.clock());
        Reservation first = budget.reserve(0.6).orElseThrow();
        Reservation second = budget.reserve(0.6).orElseThrow(); // 0.6 held is below the limit: one call may cross it

        assertThat(budget.reserve(0.01)).isEmpty();

        first.release();
        second.settle(0.5);
        assertThat(budget.spentToday()).isEqualTo(0.5);
        assertThat(budget.reserve(0.01)).isPresent();
    }

    @Test
    void should_charge_a_settled_hold_once() {
        DailyBudget budget = DailyBudget.of(1.0, 0.8, time.clock());
        Reservation r = budget.reserve(0.3).orElseThrow();
        r.settle(0.2);
        r.settle(0.2);
        r.release();

        assertThat(budget.spentToday()).isEqualTo(0.2);
    }

    /** A shared count that stops answering, then answers again. */
    static final class FlakySpending implements SharedSpending {
        boolean down;
        double spent;
        double held;

        private void check() {
            if (down) {
                throw new IllegalStateException("unreachable");
            }
        }

        @Override
        public Hold hold(java.time.LocalDate day, String id, double usd, double limitUsd) {
            check();
            if (spent + held >= limitUsd) {
                return new Hold(false, new Totals(spent, held));
            }
            held += usd;
            return new Hold(true, new Totals(spent, held));
        }

        @Override
        public Totals settle(java.time.LocalDate day, String id, double heldUsd, double spentUsd) {
            check();
            held -= heldUsd;
            spent += spentUsd;
            return new Totals(spent, held);
        }

        @Override
        public Totals spend(java.time.LocalDate day, double usd) {
            check();
            spent += usd;
            return new Totals(spent, held);
        }

        @Override
        public Totals read(java.time.LocalDate day) {
            check();
            return new Totals(spent, held);
        }
    }

    @Test
    void should_count_in_process_while_the_shared_count_is_unreachable_and_hand_it_over_after() {
        FlakySpending shared = new FlakySpending();
        DailyBudget budget = DailyBudget.shared(1.0, 0.8, time.clock(), shared);
        budget.reserve(0.1).orElseThrow().settle(0.1);
        assertThat(shared.spent).isEqualTo(0.1);

        shared.down = true;
        budget.reserve(0.3).orElseThrow().settle(0.25);
        assertThat(budget.spentToday()).isCloseTo(0.35, org.assertj.core.data.Offset.offset(1e-12));

        shared.down = false;
        budget.reserve(0.1).orElseThrow().settle(0.05);
        assertThat(shared.spent).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(shared.held).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void should_refuse_when_another_instance_spent_the_shared_budget() {
        FlakySpending shared = new FlakySpending();
        DailyBudget a = DailyBudget.shared(1.0, 0.8, time.clock(), shared);
        DailyBudget b = DailyBudget.shared(1.0, 0.8, time.clock(), shared);
        a.reserve(0.5).orElseThrow().settle(1.0);

        assertThat(b.reserve(0.01)).isEmpty();
        time.advance(DailyBudget.SHARED_REFRESH);
        assertThat(b.state()).isEqualTo(DailyBudget.State.EXHAUSTED);
    }
}
