package io.bulwark.costing;

/**
 * What a model charges, in US dollars per million tokens.
 */
public record Price(double inputPerMillion, double outputPerMillion) {

    public Price {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
    }

    /** Returns the cost in US dollars of a call with the given token counts. */
    public double cost(long inputTokens, long outputTokens) {
        return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
    }
}
