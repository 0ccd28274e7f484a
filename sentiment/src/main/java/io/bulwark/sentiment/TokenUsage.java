package io.bulwark.sentiment;

/**
 * Tokens a call consumed, as reported by the provider (zero for local answers).
 */
public record TokenUsage(int inputTokens, int outputTokens) {

    /** Usage of an answer that called no LLM. */
    public static final TokenUsage NONE = new TokenUsage(0, 0);

    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
