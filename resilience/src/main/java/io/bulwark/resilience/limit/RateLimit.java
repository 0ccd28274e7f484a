package io.bulwark.resilience.limit;

/**
 * The calls a model may receive per minute, fleet-wide: requests ({@code rpm}) and tokens ({@code tpm}); 0 means
 * no limit of that kind. Each is a token bucket that holds at most one minute's allowance and refills continuously.
 */
public record RateLimit(long rpm, long tpm) {

    public RateLimit {
        if (rpm < 0 || tpm < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (none) or positive: rpm " + rpm + ", tpm " + tpm);
        }
    }

    /** Returns true if this limits anything. */
    public boolean limits() {
        return rpm > 0 || tpm > 0;
    }
}
