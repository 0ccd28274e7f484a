package io.bulwark.models.drift;

/**
 * How served inputs are compared with a version's training profile.
 *
 * @param window       the most recent served inputs kept per version (the window compared)
 * @param minWindow    inputs a window needs before it gets a verdict (fewer: {@code insufficient_data})
 * @param alpha        the chance of a false alarm a whole window may take: each feature's test must reach a p-value
 *                     below {@code alpha / features} (Bonferroni), so the window's verdict stays within it
 * @param psiThreshold a feature also needs a population stability index at least this large to drift: a shift big
 *                     enough to matter, not only one a large window can prove
 * @param maxVersions  versions whose windows are kept; the one observed least recently goes first
 */
public record DriftSettings(int window, int minWindow, double alpha, double psiThreshold, int maxVersions) {

    public static final int DEFAULT_WINDOW = 200;
    public static final int DEFAULT_MIN_WINDOW = 50;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double DEFAULT_PSI_THRESHOLD = 0.2;
    public static final int DEFAULT_MAX_VERSIONS = 16;

    public DriftSettings {
        if (window < 2) {
            throw new IllegalArgumentException("bulwark.classifier.drift.window must be at least 2: " + window);
        }
        if (minWindow < 2 || minWindow > window) {
            throw new IllegalArgumentException("bulwark.classifier.drift.min-window must be in [2, window ("
                    + window + ")]: " + minWindow);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("bulwark.classifier.drift.alpha must be in (0, 1): " + alpha);
        }
        if (!(psiThreshold >= 0) || Double.isInfinite(psiThreshold)) {
            throw new IllegalArgumentException("bulwark.classifier.drift.psi-threshold must be 0 or more: "
                    + psiThreshold);
        }
        if (maxVersions < 1) {
            throw new IllegalArgumentException("bulwark.classifier.drift.max-versions must be at least 1: "
                    + maxVersions);
        }
    }

    public static DriftSettings defaults() {
        return new DriftSettings(DEFAULT_WINDOW, DEFAULT_MIN_WINDOW, DEFAULT_ALPHA, DEFAULT_PSI_THRESHOLD,
                DEFAULT_MAX_VERSIONS);
    }
}
