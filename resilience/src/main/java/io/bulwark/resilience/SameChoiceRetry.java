package io.bulwark.resilience;

/**
 * When a tier has no other choice left, which failed calls are asked again of the same (provider, model) within the
 * request's deadline: a malformed answer, and a 429 whose {@code Retry-After} (if any) is longer than the deadline
 * leaves (one that fits is waited out by the boundary's rate-limit fallback, as before). Time-outs are retried by the
 * boundary's time-out fallback with a shorter limit; outages (5xx, connection failures) are not retried: they say the
 * provider is unwell, and its breaker decides.
 *
 * <p>Bounded three ways: at most {@code maxAttempts} calls of the same choice per pass of a request through the
 * tier, only while the deadline leaves the tier's minimum call after the reserve, and only while the choice's
 * {@link RetryBudget} ({@code budgetTokens}, {@code tokenRatio}) allows, so retries stop when the provider fails most
 * of its calls.
 *
 * @param enabled      whether same-choice retries happen at all
 * @param maxAttempts  calls of the same choice per request's pass through the tier, the first one included (at least 1)
 * @param budgetTokens the size of each choice's retry budget (at least 1)
 * @param tokenRatio   the tokens an answer gives back to its choice's budget (positive)
 */
public record SameChoiceRetry(boolean enabled, int maxAttempts, double budgetTokens, double tokenRatio) {

    /**
     * Three calls of the same choice, as the SRE book's per-request cap. With seed 003's flaky mix (30% of calls
     * answer) one call answers 30% of requests, two 51%, three 66%; the deadline usually ends a fourth anyway.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** gRPC's default bucket size. */
    public static final double DEFAULT_BUDGET_TOKENS = 10;
    /**
     * One answer pays for three failed calls: retries go on while a choice answers more than one call in four (seed
     * 003's flaky mix answers 30%) and stop after five failures of a choice that answers nothing.
     */
    public static final double DEFAULT_TOKEN_RATIO = 3;

    public SameChoiceRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1: " + maxAttempts);
        }
        RetryBudget.of(budgetTokens, tokenRatio); // checks both
    }

    /** Returns the defaults: on, three attempts, a budget of 10 tokens refilled by 3 per answer. */
    public static SameChoiceRetry defaults() {
        return new SameChoiceRetry(true, DEFAULT_MAX_ATTEMPTS, DEFAULT_BUDGET_TOKENS, DEFAULT_TOKEN_RATIO);
    }

    /** Returns the policy that never retries the same choice (a tier of one choice behaves as before issue 20). */
    public static SameChoiceRetry off() {
        return new SameChoiceRetry(false, 1, DEFAULT_BUDGET_TOKENS, DEFAULT_TOKEN_RATIO);
    }

    /** Returns a fresh, full budget of this policy's size, for one choice. */
    public RetryBudget newBudget() {
        return RetryBudget.of(budgetTokens, tokenRatio);
    }

    @Override
    public String toString() {
        return enabled ? "same choice again on malformed or unwaitable 429, up to " + maxAttempts + " calls, "
                + newBudget() : "no same-choice retry";
    }
}
