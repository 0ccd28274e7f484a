package io.bulwark.sentiment;

/**
 * Tokens a call consumed, as reported by the provider (zero for local answers).
 *
 * @param cachedInputTokens the part of {@code inputTokens} the provider served from its prompt cache (billed at
 *                          the model's cached-input price)
 */
public record TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens) {

    /** Usage of an answer that called no LLM. */
    public static final TokenUsage NONE = new TokenUsage(0, 0);

    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("cached input tokens (" + cachedInputTokens
                    + ") cannot exceed the input tokens (" + inputTokens + ")");
        }
    }

    /** Usage with no cached input. */
    public TokenUsage(int inputTokens, int outputTokens) {
        this(inputTokens, outputTokens, 0);
    }

    /** Returns these tokens as a billed failure carries them. */
    public io.bulwark.resilience.failure.BilledTokens billed() {
        return new io.bulwark.resilience.failure.BilledTokens(inputTokens, cachedInputTokens, outputTokens);
    }
}
