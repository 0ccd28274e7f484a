package io.bulwark.costing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The workshop's {@code calculate_monthly_cost(queries_per_day, avg_input_tokens, avg_output_tokens,
 * model_distribution, cache_hit_rate)}: a closed-form monthly bill. Cache hits cost nothing; every other query
 * is one call to a model drawn from the mix, at the average token counts.
 *
 * <p>Seed 003's baseline, 100,000 queries a day of 150 input and 200 output tokens, all on gpt-4
 * ($30 / $60 per million), no cache, a 30-day month: 3,000,000 queries × (150 × $30 + 200 × $60) / 1,000,000
 * = 3,000,000 × $0.0165 = <b>$49,500</b>.
 */
public final class MonthlyCostCalculator {

    /** The month the workshop bills. */
    public static final int DEFAULT_DAYS_PER_MONTH = 30;

    private final PriceTable prices;
    private final int daysPerMonth;

    public MonthlyCostCalculator(PriceTable prices) {
        this(prices, DEFAULT_DAYS_PER_MONTH);
    }

    public MonthlyCostCalculator(PriceTable prices, int daysPerMonth) {
        this.prices = Objects.requireNonNull(prices, "prices");
        if (daysPerMonth < 1 || daysPerMonth > 31) {
            throw new IllegalArgumentException("daysPerMonth must be within 1..31: " + daysPerMonth);
        }
        this.daysPerMonth = daysPerMonth;
    }

    /** A monthly bill, with the cost of each model and the arithmetic that produced it. */
    public record MonthlyCost(double totalUsd, long monthlyQueries, double paidQueries, Map<String, Double> byModel,
                              List<String> arithmetic) {

        /** Returns the cost of 1,000 queries, cache hits included. */
        public double per1000Queries() {
            return monthlyQueries == 0 ? 0 : totalUsd / monthlyQueries * 1000;
        }
    }

    /**
     * Returns the monthly bill.
     *
     * @param modelMix     share of the paid (non-cached) queries per model, summing to 1, e.g.
     *                     {@code {"gpt-4": 0.2, "gpt-3.5-turbo": 0.8}}
     * @param cacheHitRate share of queries answered by a cache, 0..1
     */
    public MonthlyCost calculate(long queriesPerDay, double avgInputTokens, double avgOutputTokens,
                                 Map<String, Double> modelMix, double cacheHitRate) {
        if (queriesPerDay < 0) {
            throw new IllegalArgumentException("queriesPerDay must not be negative: " + queriesPerDay);
        }
        if (!(avgInputTokens >= 0) || !(avgOutputTokens >= 0)) {
            throw new IllegalArgumentException("token averages must be non-negative numbers");
        }
        if (!(cacheHitRate >= 0 && cacheHitRate <= 1)) {
            throw new IllegalArgumentException("cacheHitRate must be within 0..1: " + cacheHitRate);
        }
        Objects.requireNonNull(modelMix, "modelMix");
        double shares = 0;
        for (Map.Entry<String, Double> e : modelMix.entrySet()) {
            if (!(e.getValue() >= 0)) {
                throw new IllegalArgumentException("share of " + e.getKey() + " must be non-negative: " + e.getValue());
            }
            shares += e.getValue();
        }
        if (Math.abs(shares - 1.0) > 1e-9) {
            throw new IllegalArgumentException("the model mix must sum to 1, not " + shares + ": " + modelMix);
        }
        long monthly = queriesPerDay * daysPerMonth;
        double paid = monthly * (1 - cacheHitRate);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "queries per month = %,d per day × %d days = %,d",
                queriesPerDay, daysPerMonth, monthly));
        lines.add(String.format(Locale.ROOT, "paid queries = %,d × (1 − %.2f cache hit rate) = %,.0f",
                monthly, cacheHitRate, paid));
        Map<String, Double> byModel = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : modelMix.entrySet()) {
            Price p = prices.require(e.getKey());
            double perQuery = (avgInputTokens * p.inputPerMillion()
                    + avgOutputTokens * p.outputPerMillion()) / 1_000_000.0;
            double cost = paid * e.getValue() * perQuery;
            byModel.put(e.getKey(), cost);
            total += cost;
            lines.add(String.format(Locale.ROOT,
                    "%s: %,.0f × %.2f share × (%s in × $%s + %s out × $%s) / 1M = %,.0f × $%.6f = $%,.2f",
                    e.getKey(), paid, e.getValue(), plain(avgInputTokens), plain(p.inputPerMillion()),
                    plain(avgOutputTokens), plain(p.outputPerMillion()), paid * e.getValue(), perQuery, cost));
        }
        lines.add(String.format(Locale.ROOT, "total = $%,.2f per month ($%.4f per 1,000 queries)", total,
                monthly == 0 ? 0 : total / monthly * 1000));
        return new MonthlyCost(total, monthly, paid, java.util.Collections.unmodifiableMap(byModel), List.copyOf(lines));
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%s", d);
    }
}
