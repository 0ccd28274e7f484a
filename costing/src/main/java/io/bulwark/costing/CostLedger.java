package io.bulwark.costing;

import io.bulwark.resilience.Tier;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The record of what every answer cost: totals per function, per model and per tier, and the day's spending
 * charged to a {@link DailyBudget}. Lock-free apart from the budget; read with {@link #snapshot()}.
 */
public final class CostLedger {

    /** Money and answers under one key. */
    public record Total(long answers, double usd) {
    }

    /** An immutable reading of the ledger. */
    public record Snapshot(Total total, Map<String, Total> byFunction, Map<String, Total> byModel,
                           Map<Tier, Total> byTier) {
    }

    private final PriceTable prices;
    private final DailyBudget budget;
    private final Counter total = new Counter();
    private final Map<String, Counter> byFunction = new ConcurrentHashMap<>();
    private final Map<String, Counter> byModel = new ConcurrentHashMap<>();
    private final Map<Tier, Counter> byTier = new EnumMap<>(Tier.class);

    public CostLedger(PriceTable prices, DailyBudget budget) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.budget = Objects.requireNonNull(budget, "budget");
        for (Tier t : Tier.values()) {
            byTier.put(t, new Counter());
        }
    }

    /**
     * Records an answer of {@code function} by {@code model} from {@code tier} that used the given tokens, and
     * returns its cost in US dollars (zero for a model the price table does not know).
     */
    public double record(String function, String model, Tier tier, long inputTokens, long outputTokens) {
        double usd = prices.cost(model, inputTokens, outputTokens);
        record(function, model, tier, usd);
        return usd;
    }

    /** Records an answer that cost {@code usd}, charging it to the budget. */
    public void record(String function, String model, Tier tier, double usd) {
        record(function, model, tier, usd, true);
    }

    /**
     * Records an answer that cost {@code usd} whose {@link Reservation} already charged the budget (a paid call made
     * under a hold), so it is not charged twice.
     */
    public void recordSettled(String function, String model, Tier tier, double usd) {
        record(function, model, tier, usd, false);
    }

    private void record(String function, String model, Tier tier, double usd, boolean charge) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tier, "tier");
        total.add(usd);
        byFunction.computeIfAbsent(function, k -> new Counter()).add(usd);
        byModel.computeIfAbsent(model, k -> new Counter()).add(usd);
        byTier.get(tier).add(usd);
        if (charge && usd > 0) {
            budget.spend(usd);
        }
    }

    /** Returns the budget this ledger charges. */
    public DailyBudget budget() {
        return budget;
    }

    /** Returns the price table this ledger prices with. */
    public PriceTable prices() {
        return prices;
    }

    /** Returns the money recorded so far, all answers together. */
    public double totalUsd() {
        return total.usd.sum();
    }

    /** Returns the money recorded so far for {@code tier}. */
    public double usd(Tier tier) {
        return byTier.get(tier).usd.sum();
    }

    /** Returns the money recorded so far for {@code model}. */
    public double usd(String model) {
        Counter c = byModel.get(model);
        return c == null ? 0 : c.usd.sum();
    }

    /** Returns the current totals. */
    public Snapshot snapshot() {
        Map<String, Total> f = new TreeMap<>();
        byFunction.forEach((k, v) -> f.put(k, v.read()));
        Map<String, Total> m = new TreeMap<>();
        byModel.forEach((k, v) -> m.put(k, v.read()));
        Map<Tier, Total> t = new EnumMap<>(Tier.class);
        byTier.forEach((k, v) -> t.put(k, v.read()));
        return new Snapshot(total.read(), f, m, t);
    }

    private static final class Counter {
        final LongAdder answers = new LongAdder();
        final DoubleAdder usd = new DoubleAdder();

        void add(double amount) {
            answers.increment();
            usd.add(amount);
        }

        Total read() {
            return new Total(answers.sum(), usd.sum());
        }
    }
}
