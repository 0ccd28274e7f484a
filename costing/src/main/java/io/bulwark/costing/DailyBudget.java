package io.bulwark.costing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A spending limit per UTC day. It never refuses a request itself: it reports a {@link State} that the cost
 * router reads to route to cheaper tiers as the day's money runs out, and it {@link #reserve holds} a paid call's
 * largest cost before the call, refusing once the day's spent and held money reaches the limit. With a
 * {@link BudgetStore} it starts from what was already spent today and saves every spend, so a restart does not reset
 * the day. With {@link SharedSpending} a fleet of instances shares one budget: holds are taken atomically where every
 * instance counts, so the fleet spends at most the limit plus the largest cost of one call (the last hold granted
 * below the limit), as long as no call costs more than it held. When the shared count cannot be reached, the budget
 * decides from the totals it last saw plus what it spent since, and hands that spending over once the count answers
 * again. Thread-safe.
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
    /** How long the fleet's totals seen last may guide {@link #state()} before it reads them again. */
    public static final java.time.Duration SHARED_REFRESH = java.time.Duration.ofSeconds(1);

    private final BudgetStore store;
    private final SharedSpending shared;
    private LocalDate day;
    /** In process: today's spending; shared: the fleet's spending last seen plus {@link #offline}. */
    private double spent;
    /** Money held in process (shared: only by holds taken while the shared count was unreachable). */
    private double held;
    /** Shared: spent while the shared count was unreachable, not yet handed over. */
    private double offline;
    private long sharedReadAtMillis = Long.MIN_VALUE;

    private DailyBudget(double limitUsd, double lowFraction, Clock clock, BudgetStore store, SharedSpending shared) {
        this.limitUsd = limitUsd;
        this.lowFraction = lowFraction;
        this.clock = clock;
        this.store = store;
        this.shared = shared;
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
        check(limitUsd, lowFraction);
        return new DailyBudget(limitUsd, lowFraction, Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(store, "store"), null);
    }

    /**
     * Returns a budget of {@code limitUsd} a day shared by every instance that counts in {@code shared}; see the
     * class comment for what it guarantees.
     */
    public static DailyBudget shared(double limitUsd, double lowFraction, Clock clock, SharedSpending shared) {
        check(limitUsd, lowFraction);
        return new DailyBudget(limitUsd, lowFraction, Objects.requireNonNull(clock, "clock"), BudgetStore.NONE,
                Objects.requireNonNull(shared, "shared"));
    }

    private static void check(double limitUsd, double lowFraction) {
        if (!(limitUsd > 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("the daily limit must be a positive amount: " + limitUsd);
        }
        if (!(lowFraction > 0 && lowFraction <= 1)) {
            throw new IllegalArgumentException("the low fraction must be within (0, 1]: " + lowFraction);
        }
    }

    /** Returns a budget without a limit: always {@link State#OK}. */
    public static DailyBudget unlimited(Clock clock) {
        return new DailyBudget(Double.POSITIVE_INFINITY, 1.0, Objects.requireNonNull(clock, "clock"), BudgetStore.NONE,
                null);
    }

    /**
     * Holds {@code usd}, the largest cost of a paid call about to be made, if the day's spent and held money is below
     * the limit; empty if not (the call must not be made). Without a limit every hold is granted. The caller settles
     * or releases the reservation when the call ends.
     */
    public Optional<Reservation> reserve(double usd) {
        if (!(usd >= 0)) {
            throw new IllegalArgumentException("a hold must be a non-negative amount: " + usd);
        }
        if (shared != null) {
            LocalDate d;
            synchronized (this) {
                rollOver();
                d = day;
            }
            try {
                handOver(d);
                String id = UUID.randomUUID().toString();
                SharedSpending.Hold hold = shared.hold(d, id, usd, limitUsd);
                seen(d, hold.totals());
                return hold.granted() ? Optional.of(new SharedReservation(d, id, usd)) : Optional.empty();
            } catch (RuntimeException unreachable) {
                // decided below from the totals last seen plus what was spent since
            }
        }
        synchronized (this) {
            rollOver();
            if (spent + held >= limitUsd) {
                return Optional.empty();
            }
            held += usd;
            return Optional.of(new LocalReservation(day, usd));
        }
    }

    /** Adds {@code usd} to today's spending. */
    public void spend(double usd) {
        if (!(usd >= 0)) {
            throw new IllegalArgumentException("spending must be a non-negative amount: " + usd);
        }
        if (shared != null && usd > 0) {
            LocalDate d;
            synchronized (this) {
                rollOver();
                d = day;
            }
            try {
                handOver(d);
                seen(d, shared.spend(d, usd));
            } catch (RuntimeException unreachable) {
                synchronized (this) {
                    if (d.equals(day)) {
                        offline += usd;
                        spent += usd;
                    }
                }
            }
            return;
        }
        synchronized (this) {
            rollOver();
            spent += usd;
            if (usd > 0) {
                store.save(new BudgetStore.Spending(day, spent));
            }
        }
    }

    /** Hands what was spent while the shared count was unreachable over to it. */
    private void handOver(LocalDate d) {
        double pending;
        synchronized (this) {
            pending = d.equals(day) ? offline : 0;
            offline = 0;
        }
        if (pending > 0) {
            try {
                seen(d, shared.spend(d, pending));
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (d.equals(day)) {
                        offline += pending;
                    }
                }
                throw e;
            }
        }
    }

    private synchronized void seen(LocalDate d, SharedSpending.Totals totals) {
        if (d.equals(day)) {
            spent = totals.spent() + offline;
            sharedReadAtMillis = clock.millis();
        }
    }

    /** Returns the state of today's budget. */
    public State state() {
        refreshShared();
        synchronized (this) {
            return stateNow();
        }
    }

    /** Reads the fleet's totals when those seen last are older than {@link #SHARED_REFRESH}. */
    private void refreshShared() {
        if (shared == null) {
            return;
        }
        LocalDate d;
        synchronized (this) {
            rollOver();
            if (clock.millis() - sharedReadAtMillis < SHARED_REFRESH.toMillis()) {
                return;
            }
            sharedReadAtMillis = clock.millis(); // one reader a second, even while unreachable
            d = day;
        }
        try {
            seen(d, shared.read(d));
        } catch (RuntimeException unreachable) {
            // the totals seen last stand
        }
    }

    private State stateNow() {
        rollOver();
        if (spent >= limitUsd) {
            return State.EXHAUSTED;
        }
        return spent >= lowFraction * limitUsd ? State.LOW : State.OK;
    }

    /** Returns what was spent today (shared: by the fleet, as last seen). */
    public double spentToday() {
        refreshShared();
        synchronized (this) {
            rollOver();
            return spent;
        }
    }

    /** Returns what is left today (infinite without a limit). */
    public double remainingToday() {
        refreshShared();
        synchronized (this) {
            rollOver();
            return Math.max(0, limitUsd - spent);
        }
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
            held = 0;
            offline = 0;
            sharedReadAtMillis = Long.MIN_VALUE;
        }
    }

    /** A hold decided in process (no shared count, or it was unreachable). */
    private final class LocalReservation implements Reservation {
        private final LocalDate heldOn;
        private final double usd;
        private boolean ended;

        LocalReservation(LocalDate heldOn, double usd) {
            this.heldOn = heldOn;
            this.usd = usd;
        }

        @Override
        public void settle(double cost) {
            if (end()) {
                spend(cost);
            }
        }

        @Override
        public void release() {
            end();
        }

        private boolean end() {
            synchronized (DailyBudget.this) {
                if (ended) {
                    return false;
                }
                ended = true;
                if (heldOn.equals(day)) {
                    held = Math.max(0, held - usd);
                }
                return true;
            }
        }

        @Override
        public double heldUsd() {
            return usd;
        }
    }

    /** A hold taken in the shared count. */
    private final class SharedReservation implements Reservation {
        private final LocalDate heldOn;
        private final String id;
        private final double usd;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        SharedReservation(LocalDate heldOn, String id, double usd) {
            this.heldOn = heldOn;
            this.id = id;
            this.usd = usd;
        }

        @Override
        public void settle(double cost) {
            if (!(cost >= 0)) {
                throw new IllegalArgumentException("spending must be a non-negative amount: " + cost);
            }
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                seen(heldOn, shared.settle(heldOn, id, usd, cost));
            } catch (RuntimeException unreachable) {
                // the hold frees itself after its lease; the cost is handed over with the next call that gets through
                synchronized (DailyBudget.this) {
                    if (heldOn.equals(day)) {
                        offline += cost;
                        spent += cost;
                    }
                }
            }
        }

        @Override
        public void release() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                seen(heldOn, shared.settle(heldOn, id, usd, 0));
            } catch (RuntimeException unreachable) {
                // the hold frees itself after its lease
            }
        }

        @Override
        public double heldUsd() {
            return usd;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return limited()
                ? String.format(java.util.Locale.ROOT, "DailyBudget[$%.2f a day, low at %.0f%%, spent kept %s]",
                limitUsd, lowFraction * 100, shared != null ? "shared " + shared : store)
                : "DailyBudget[unlimited]";
    }
}
