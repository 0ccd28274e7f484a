package io.bulwark.costing;

/**
 * What a model charges, in US dollars per million tokens: input, output, and input served from the
 * provider's prompt cache (equal to the input price where the provider has no such discount).
 */
public record Price(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion) {

    /** A price of nothing: local models, cache hits. */
    public static final Price FREE = new Price(0, 0, 0);

    public Price {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0) || !(cachedInputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
        if (cachedInputPerMillion > inputPerMillion) {
            throw new IllegalArgumentException("the cached-input price (" + cachedInputPerMillion
                    + ") must not exceed the input price (" + inputPerMillion + ")");
        }
    }

    /** Returns a price without a cached-input discount. */
    public Price(double inputPerMillion, double outputPerMillion) {
        this(inputPerMillion, outputPerMillion, inputPerMillion);
    }

    /** Returns the price given per 1,000 tokens, as the workshop's table states it. */
    public static Price perThousand(double input, double output) {
        return new Price(input * 1000, output * 1000);
    }

    /** Returns the cost in US dollars of a call with the given token counts, none of them cached. */
    public double cost(long inputTokens, long outputTokens) {
        return cost(inputTokens, 0, outputTokens);
    }

    /**
     * Returns the cost in US dollars of a call that sent {@code inputTokens}, of which {@code cachedInputTokens}
     * were served from the provider's prompt cache, and received {@code outputTokens}.
     */
    public double cost(long inputTokens, long cachedInputTokens, long outputTokens) {
        if (cachedInputTokens < 0 || cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("cached input tokens must be within 0.." + inputTokens + ": "
                    + cachedInputTokens);
        }
        long fresh = inputTokens - cachedInputTokens;
        return (fresh * inputPerMillion + cachedInputTokens * cachedInputPerMillion
                + outputTokens * outputPerMillion) / 1_000_000.0;
    }
}
