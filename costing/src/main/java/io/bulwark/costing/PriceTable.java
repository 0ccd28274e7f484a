package io.bulwark.costing;

import io.bulwark.costing.platform.PlatformPrices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A dated, versioned table of prices by model identifier. Lookups ignore case and accept dated snapshots
 * of a known model ({@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}).
 *
 * <p>The built-in table ({@link #defaults()}) is the price file {@value #DEFAULT_RESOURCE} on the class
 * path; users point {@code bulwark.cost.price-file} at their own copy (see {@link PriceFile} for the format).
 */
public final class PriceTable {

    /** The class-path location of the built-in price file. */
    public static final String DEFAULT_RESOURCE = "/io/bulwark/costing/prices.yaml";

    private final Map<String, Price> prices;
    private final String version;
    private final LocalDate effective;
    private final String origin;
    private final PlatformPrices platforms;

    private final Map<String, Double> batchDiscounts;

    PriceTable(Map<String, Price> prices, String version, LocalDate effective, String origin) {
        this(prices, version, effective, origin, PlatformPrices.NONE, Map.of());
    }

    PriceTable(Map<String, Price> prices, String version, LocalDate effective, String origin,
               PlatformPrices platforms, Map<String, Double> batchDiscounts) {
        Map<String, Price> lower = new HashMap<>();
        prices.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, k)));
        this.prices = Map.copyOf(lower);
        this.version = Objects.requireNonNull(version, "version");
        this.effective = Objects.requireNonNull(effective, "effective");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.platforms = Objects.requireNonNull(platforms, "platforms");
        Map<String, Double> discounts = new HashMap<>();
        batchDiscounts.forEach((k, v) -> discounts.put(k.toLowerCase(Locale.ROOT), v));
        this.batchDiscounts = Map.copyOf(discounts);
    }

    /** Returns an undated table of the given prices (for tests and programs that build their own). */
    public static PriceTable of(Map<String, Price> prices) {
        return new PriceTable(prices, "unversioned", LocalDate.EPOCH, "code");
    }

    /**
     * Returns the built-in table: the workshop's prices (gpt-4 $0.03/$0.06, gpt-3.5-turbo $0.001/$0.002,
     * claude-instant $0.0008/$0.0024 per 1K tokens, {@code cached} free) and list prices of current models.
     */
    public static PriceTable defaults() {
        try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in price file is missing: " + DEFAULT_RESOURCE);
            }
            return PriceFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a price file.
     *
     * @throws IllegalArgumentException naming the file and the problem when it is malformed
     */
    public static PriceTable load(Path file) {
        try {
            return PriceFile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price file " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Returns the price of {@code model}, by exact name or by the longest known prefix followed by '-'. A model named
     * with its provider ({@code azure:gpt-4o-mini}, as with several providers) has the price written under that name,
     * else the price of the model without the provider ({@code gpt-4o-mini}).
     */
    public Optional<Price> price(String model) {
        Optional<Price> named = priceOf(model);
        int colon = model.indexOf(':');
        return named.isPresent() || colon < 0 ? named : priceOf(model.substring(colon + 1));
    }

    private Optional<Price> priceOf(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        Price exact = prices.get(m);
        if (exact != null) {
            return Optional.of(exact);
        }
        return prices.entrySet().stream()
                .filter(e -> m.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** Returns the price of {@code model}, or fails naming the models the table knows. */
    public Price require(String model) {
        return price(model).orElseThrow(() -> new IllegalArgumentException(
                "no price for model '" + model + "' in price table " + version + " (" + origin + "); known: "
                        + new TreeMap<>(prices).keySet()));
    }

    /** Returns the cost of a call to {@code model}; zero for a model without a price. */
    public double cost(String model, long inputTokens, long outputTokens) {
        return price(model).map(p -> p.cost(inputTokens, outputTokens)).orElse(0.0);
    }

    /** Returns the cost of a call to {@code model} whose input was partly cached; zero for a model without a price. */
    public double cost(String model, long inputTokens, long cachedInputTokens, long outputTokens) {
        return price(model).map(p -> p.cost(inputTokens, cachedInputTokens, outputTokens)).orElse(0.0);
    }

    /** Returns every price, by model, in name order. */
    public Map<String, Price> prices() {
        return new TreeMap<>(prices);
    }

    /**
     * Returns the share of the price the provider's batch API takes off for {@code model} (0.5: half price), by the
     * same name matching as {@link #price}; 0 where the file names no batch discount.
     */
    public double batchDiscount(String model) {
        if (model == null) {
            return 0;
        }
        String m = model.toLowerCase(Locale.ROOT);
        Double exact = batchDiscounts.get(m);
        if (exact != null) {
            return exact;
        }
        return batchDiscounts.entrySet().stream()
                .filter(e -> m.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue).orElse(0.0);
    }

    /**
     * Returns this table, with {@code fallback}'s platform prices if it has none of its own (a price file that
     * prices models only), so that a user's file need not copy the platforms to be used by the simulator.
     */
    public PriceTable withPlatformsFrom(PriceTable fallback) {
        if (!platforms.equals(PlatformPrices.NONE)) {
            return this;
        }
        return new PriceTable(prices, version, effective, origin + " (platforms from " + fallback.origin + ")",
                fallback.platforms, batchDiscounts);
    }

    /** Returns the platforms' prices (function platforms, gateways, containers); empty if the file has none. */
    public PlatformPrices platforms() {
        return platforms;
    }

    /** Returns the table's version, as written in its file. */
    public String version() {
        return version;
    }

    /** Returns the date from which the prices apply. */
    public LocalDate effective() {
        return effective;
    }

    /** Returns where the table came from: a path, {@code classpath:...}, or {@code code}. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "PriceTable[version " + version + ", effective " + effective + ", " + prices.size() + " models, from "
                + origin + "]";
    }
}
