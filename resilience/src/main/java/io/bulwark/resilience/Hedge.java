package io.bulwark.resilience;

/**
 * A tier's hedging policy: when the first call of a request has not answered by the tier's recent p90 latency, a
 * second call goes to the tier's next healthy choice and the first good answer wins; the other call is cancelled.
 *
 * <p>The p90 is read from the last {@code window} successful calls of the tier; until {@code minSamples} of them
 * were seen the tier does not hedge (a p90 of three calls is noise). Hedges are bounded to {@code maxShare} of the
 * tier's requests, counted since start: a hedge is sent only while {@code hedges + 1 <= maxShare * requests}, so a
 * slow provider cannot double the traffic (0: never hedge).
 *
 * @param maxShare   the most hedges per request of the tier, 0..1
 * @param minSamples the successful calls the tier must have seen before it hedges, at least 1
 * @param window     how many recent successful calls the p90 is read from, at least {@code minSamples}
 */
public record Hedge(double maxShare, int minSamples, int window) {

    /** The default share of a tier's requests that may be hedged. */
    public static final double DEFAULT_MAX_SHARE = 0.1;
    /** The default number of successful calls seen before a tier hedges. */
    public static final int DEFAULT_MIN_SAMPLES = 20;
    /** The default number of recent successful calls the p90 is read from. */
    public static final int DEFAULT_WINDOW = 100;
    /** The percentile of recent latencies after which a request is hedged. */
    public static final double PERCENTILE = 0.9;

    public Hedge {
        if (!(maxShare >= 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("the hedges' max share must be within 0..1: " + maxShare);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("the hedges' min samples must be at least 1: " + minSamples);
        }
        if (window < minSamples) {
            throw new IllegalArgumentException("the hedges' window (" + window + ") must hold min samples ("
                    + minSamples + ")");
        }
    }

    /** Returns the default policy: 10% of requests, after 20 calls, the p90 of the last 100. */
    public static Hedge defaults() {
        return new Hedge(DEFAULT_MAX_SHARE, DEFAULT_MIN_SAMPLES, DEFAULT_WINDOW);
    }

    @Override
    public String toString() {
        return "hedge after p90 of last " + window + " (from " + minSamples + "), at most " + Math.round(maxShare * 100)
                + "% of requests";
    }
}
