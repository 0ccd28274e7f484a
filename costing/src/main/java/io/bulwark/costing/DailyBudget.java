package io.bulwark.costing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A spending limit per UTC day. It never refuses a request itself: it reports a {@link State} that the cost
 * router reads to route to cheaper tiers as the day's money runs out. With a {@link BudgetStore} it starts from
 * what was already spent today and saves every spend, so a restart does not reset the day. Thread-safe.
 */
public final class DailyBudget {

    /** How much of the day's money is left. */
    public enum State {
        /** Below the low-water mark: route by quality. */
        OK,
        /** At or past the low-water mark: avoid the strong model. */
        LOW,
        /** Spent: no more paid calls today. */
        EXHAUSTED
    }

    /** Share of the limit at which the budget counts as low, by default. */
    public static final double DEFAULT_LOW_FRACTION = 0.8;

    private final double limitUsd;
    private final double lowFraction;
    private final Clock clock;
    private final BudgetStore store;
    private LocalDate day;
    private double spent;

    private DailyBudget(double limitUsd, double lowFraction, Clock clock, BudgetStore store) {
        this.limitUsd = limitUsd;
        this.lowFraction = lowFraction;
        this.clock = clock;
        this.store = store;
        this.day = today();
        store.load().filter(s -> s.day().equals(day)).ifPresent(s -> spent = Math.max(0, s.usd()));
    }

    /**
     * Returns a budget of {@code limitUsd} a day that counts as low once {@code lowFraction} of it is spent.
     */
    public static DailyBudget of(double limitUsd, double lowFraction, Clock clock) {
        return of(limitUsd, lowFraction, clock, BudgetStore.NONE);
    }

    /** As {@link #of(double, double, Clock)}, starting from and saving to {@code store}. */
    public static DailyBudget of(double limitUsd, double lowFraction, Clock clock, BudgetStore store) {
        if (!(limitUsd > 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("the daily limit must be a positive amount: " + limitUsd);
        }
        if (!(lowFraction > 0 && lowFraction <= 1)) {
            throw new IllegalArgumentException("the low fraction must be within (0, 1]: " + lowFraction);
        }
        return new DailyBudget(limitUsd, lowFraction, Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(store, "store"));
    }

    /** Returns a budget without a limit: always {@link State#OK}. */
    public static DailyBudget unlimited(Clock clock) {
        return new DailyBudget(Double.POSITIVE_INFINITY, 1.0, Objects.requireNonNull(clock, "clock"), BudgetStore.NONE);
    }

    /** Adds {@code usd} to today's spending. */
    public synchronized void spend(double usd) {
        if (!(usd >= 0)) {
            throw new IllegalArgumentException("spending must be a non-negative amount: " + usd);
        }
        rollOver();
        spent += usd;
        if (usd > 0) {
            store.save(new BudgetStore.Spending(day, spent));
        }
    }

    /** Returns the state of today's budget. */
    public synchronized State state() {
        rollOver();
        if (spent >= limitUsd) {
            return State.EXHAUSTED;
        }
        return spent >= lowFraction * limitUsd ? State.LOW : State.OK;
    }

    /** Returns what was spent today. */
    public synchronized double spentToday() {
        rollOver();
        return spent;
    }

    /** Returns what is left today (infinite without a limit). */
    public synchronized double remainingToday() {
        rollOver();
        return Math.max(0, limitUsd - spent);
    }

    /** Returns the daily limit (infinite without one). */
    public double limitUsd() {
        return limitUsd;
    }

    /** Returns true if this budget has a limit. */
    public boolean limited() {
        return !Double.isInfinite(limitUsd);
    }

    private void rollOver() {
        LocalDate now = today();
        if (!now.equals(day)) {
            day = now;
            spent = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return limited()
                ? String.format(java.util.Locale.ROOT, "DailyBudget[$%.2f a day, low at %.0f%%, spent kept %s]",
                limitUsd, lowFraction * 100, store)
                : "DailyBudget[unlimited]";
    }
}
