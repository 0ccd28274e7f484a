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

    /**
     * An immutable reading of the ledger.
     *
     * @param billedFailures calls that answered nothing useful but were billed (malformed or truncated answers with
     *                       a token count): counted here, their money also in the other totals
     */
    public record Snapshot(Total total, Map<String, Total> byFunction, Map<String, Total> byModel,
                           Map<Tier, Total> byTier, Total billedFailures) {
    }

    private final PriceTable prices;
    private final DailyBudget budget;
    private final Counter total = new Counter();
    private final Map<String, Counter> byFunction = new ConcurrentHashMap<>();
    private final Map<String, Counter> byModel = new ConcurrentHashMap<>();
    private final Map<Tier, Counter> byTier = new EnumMap<>(Tier.class);
    private final Counter billedFailures = new Counter();

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
        return record(function, model, tier, inputTokens, 0, outputTokens);
    }

    /**
     * Records an answer whose input was partly served from the provider's prompt cache: {@code cachedInputTokens}
     * of the {@code inputTokens} are priced at the model's cached-input price. Returns its cost in US dollars.
     */
    public double record(String function, String model, Tier tier, long inputTokens, long cachedInputTokens,
                         long outputTokens) {
        double usd = prices.cost(model, inputTokens, cachedInputTokens, outputTokens);
        record(function, model, tier, usd);
        return usd;
    }

    /**
     * Charges a call that the provider billed but that answered nothing useful (a malformed or truncated answer
     * that came with a token count): its money goes into every total and the budget, but it is no answer. A call
     * refused with a 429 or lost to an outage bills nothing and is never charged. Returns its cost.
     */
    public double charge(String function, String model, Tier tier, long inputTokens, long cachedInputTokens,
                         long outputTokens) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tier, "tier");
        double usd = prices.cost(model, inputTokens, cachedInputTokens, outputTokens);
        total.usd.add(usd);
        byFunction.computeIfAbsent(function, k -> new Counter()).usd.add(usd);
        byModel.computeIfAbsent(model, k -> new Counter()).usd.add(usd);
        byTier.get(tier).usd.add(usd);
        billedFailures.add(usd);
        if (usd > 0) {
            budget.spend(usd);
        }
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
        return new Snapshot(total.read(), f, m, t, billedFailures.read());
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
