package io.bulwark.resilience.failure;

/**
 * The tokens a provider reported (and so bills) for a call whose answer was of no use: a malformed or truncated
 * answer that came with a usage count. A rate limit or an outage bills nothing and carries none.
 *
 * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
 */
public record BilledTokens(long inputTokens, long cachedInputTokens, long outputTokens) {

    public BilledTokens {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("token counts must be non-negative, the cached ones within the input");
        }
    }

    /** Whether the provider reported any token at all. */
    public boolean any() {
        return inputTokens > 0 || outputTokens > 0;
    }
}
