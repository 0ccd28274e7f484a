package io.bulwark.costing.router;

/**
 * The thresholds of the default rules.
 *
 * @param localConfidence  the local model answers a query without cues when it is at least this sure
 * @param strongComplexity queries at least this complex go to the strong model
 */
public record RouterConfig(double localConfidence, double strongComplexity) {

    public static final double DEFAULT_LOCAL_CONFIDENCE = 0.95;
    public static final double DEFAULT_STRONG_COMPLEXITY = 0.5;

    public RouterConfig {
        if (!(localConfidence >= 0.5 && localConfidence <= 1.01)) {
            throw new IllegalArgumentException("localConfidence must be within 0.5..1 (above 1: never local): "
                    + localConfidence);
        }
        if (!(strongComplexity >= 0 && strongComplexity <= 1.01)) {
            throw new IllegalArgumentException("strongComplexity must be within 0..1 (above 1: never strong): "
                    + strongComplexity);
        }
    }

    public static RouterConfig defaults() {
        return new RouterConfig(DEFAULT_LOCAL_CONFIDENCE, DEFAULT_STRONG_COMPLEXITY);
    }
}
