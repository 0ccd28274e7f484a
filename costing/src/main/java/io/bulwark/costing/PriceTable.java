package io.bulwark.costing;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices by model identifier. Lookups ignore case and accept dated snapshots of a known model
 * ({@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}).
 */
public final class PriceTable {

    private final Map<String, Price> prices;

    private PriceTable(Map<String, Price> prices) {
        this.prices = prices;
    }

    /** Returns a table of the given prices. */
    public static PriceTable of(Map<String, Price> prices) {
        Map<String, Price> lower = new java.util.HashMap<>();
        prices.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, k)));
        return new PriceTable(Map.copyOf(lower));
    }

    /**
     * Returns the built-in table: the workshop's prices (gpt-4 $0.03/$0.06, gpt-3.5-turbo
     * $0.001/$0.002, claude-instant $0.0008/$0.0024 per 1K tokens) and OpenAI list prices of current
     * small models. Local answers and cache hits are free.
     */
    public static PriceTable defaults() {
        return of(Map.of(
                "gpt-4", new Price(30.0, 60.0),
                "gpt-3.5-turbo", new Price(1.0, 2.0),
                "claude-instant", new Price(0.8, 2.4),
                "gpt-4o", new Price(2.5, 10.0),
                "gpt-4o-mini", new Price(0.15, 0.60),
                "gpt-4.1-mini", new Price(0.40, 1.60),
                "gpt-4.1-nano", new Price(0.10, 0.40)));
    }

    /** Returns the price of {@code model}, by exact name or by the longest known prefix followed by '-'. */
    public Optional<Price> price(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        Price exact = prices.get(m);
        if (exact != null) {
            return Optional.of(exact);
        }
        return prices.entrySet().stream()
                .filter(e -> m.startsWith(e.getKey() + "-"))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** Returns the cost of a call to {@code model}; zero for a model without a price. */
    public double cost(String model, long inputTokens, long outputTokens) {
        return price(model).map(p -> p.cost(inputTokens, outputTokens)).orElse(0.0);
    }
}
