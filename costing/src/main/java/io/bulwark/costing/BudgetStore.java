package io.bulwark.costing;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where a {@link DailyBudget} keeps the day's spending so that a restart (a deploy, a crash) does not hand out
 * the day's money a second time. {@link #NONE} keeps nothing.
 */
public interface BudgetStore {

    /** What was spent on one UTC day. */
    record Spending(LocalDate day, double usd) {
    }

    /** The last spending saved, if any. */
    Optional<Spending> load();

    /** Saves the spending so far; called after every spend, so it must be quick. */
    void save(Spending spending);

    /** Keeps nothing: the budget starts each process at zero. */
    BudgetStore NONE = new BudgetStore() {
        @Override
        public Optional<Spending> load() {
            return Optional.empty();
        }

        @Override
        public void save(Spending spending) {
        }

        @Override
        public String toString() {
            return "in memory";
        }
    };
}
