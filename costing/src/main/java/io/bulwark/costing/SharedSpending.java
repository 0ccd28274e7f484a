package io.bulwark.costing;

import java.time.LocalDate;

/**
 * The day's spending and the money held for calls in flight, counted in one place that every instance of a fleet
 * reaches (Redis, in the {@code state} module), so that a fleet shares one {@link DailyBudget}. Every method may
 * throw a {@link RuntimeException} when the place cannot be reached in time; the budget then decides from what
 * it last knew and counts in process until the place answers again.
 */
public interface SharedSpending {

    /** What a day has spent and holds for calls in flight, fleet-wide. */
    record Totals(double spent, double held) {
    }

    /**
     * The answer to a hold: {@code granted} when the fleet had money left (spent plus held below the limit) and the
     * hold was taken, and the totals seen.
     */
    record Hold(boolean granted, Totals totals) {
    }

    /**
     * Atomically holds {@code usd} for the call {@code id} when the day's spent and held money is below
     * {@code limitUsd}. A hold that is neither settled nor released (its instance died) frees itself after a lease.
     */
    Hold hold(LocalDate day, String id, double usd, double limitUsd);

    /** Turns the hold of call {@code id} ({@code heldUsd}) into {@code spentUsd} of spending; returns the totals. */
    Totals settle(LocalDate day, String id, double heldUsd, double spentUsd);

    /** Adds {@code usd} to the day's spending without a hold; returns the totals. */
    Totals spend(LocalDate day, double usd);

    /** Returns the day's totals. */
    Totals read(LocalDate day);
}
