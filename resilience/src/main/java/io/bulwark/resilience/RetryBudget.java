package io.bulwark.resilience;

/**
 * A token bucket that decides whether a failed call may be tried again, shaped as gRPC's retry throttling: the
 * bucket starts full ({@code maxTokens}); every answer of the provider adds {@code tokenRatio} tokens (up to
 * {@code maxTokens}), every failed call takes one; a retry is allowed only while more than half the tokens are left.
 *
 * <p>So retries stop by themselves when the provider fails more than {@code 1 / (1 + tokenRatio)} of its calls (a
 * dead provider after about {@code maxTokens / 2} failures) and come back as it answers again. gRPC's ratio of 0.1
 * retries only while more than 91% of calls succeed; a sentiment request has one provider call's worth of value and a
 * 2 s deadline, so our default ({@link SameChoiceRetry#DEFAULT_TOKEN_RATIO}) keeps retrying a provider that answers one
 * call in four, and the circuit breaker, not this budget, cuts off a provider that is down.
 *
 * <p>Thread-safe; a few synchronized additions per call.
 */
public final class RetryBudget {

    private final double maxTokens;
    private final double tokenRatio;
    private double tokens;

    private RetryBudget(double maxTokens, double tokenRatio) {
        this.maxTokens = maxTokens;
        this.tokenRatio = tokenRatio;
        this.tokens = maxTokens;
    }

    /** Returns a full budget of {@code maxTokens} (at least 1) that an answer refills by {@code tokenRatio} (> 0). */
    public static RetryBudget of(double maxTokens, double tokenRatio) {
        if (!(maxTokens >= 1)) {
            throw new IllegalArgumentException("a retry budget's max tokens must be at least 1: " + maxTokens);
        }
        if (!(tokenRatio > 0)) {
            throw new IllegalArgumentException("a retry budget's token ratio must be positive: " + tokenRatio);
        }
        return new RetryBudget(maxTokens, tokenRatio);
    }

    /** Hears an answer of the provider: adds the token ratio. */
    public synchronized void onAnswer() {
        tokens = Math.min(maxTokens, tokens + tokenRatio);
    }

    /** Hears a failed call of the provider (one it made, not one refused before a call): takes a token. */
    public synchronized void onFailure() {
        tokens = Math.max(0, tokens - 1);
    }

    /** Returns whether a retry may be sent now: more than half the tokens are left. Reads only. */
    public synchronized boolean allowsRetry() {
        return tokens > maxTokens / 2;
    }

    /** Returns the tokens left. */
    public synchronized double tokens() {
        return tokens;
    }

    @Override
    public String toString() {
        return "retry budget " + maxTokens + " tokens, +" + tokenRatio + " per answer";
    }
}
