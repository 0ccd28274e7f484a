package io.bulwark.models.drift;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tests that compare a window of served values with a feature's reference: Kolmogorov–Smirnov and the population
 * stability index for numbers, χ² (two samples) and the population stability index for categories.
 */
final class DriftStatistics {

    /**
     * Added to every bin's count before shares are taken (PSI): an empty bin would otherwise weigh log(0), and with a
     * few dozen inputs an empty decile is common chance, not drift.
     */
    static final double PSI_SMOOTHING = 0.5;

    private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();
    private static final ChiSquareTest CHI_SQUARE = new ChiSquareTest();

    private DriftStatistics() {
    }

    /** A statistic and, where the test has one, its p-value. */
    record Result(double statistic, Double pValue) {
    }

    /**
     * Two-sample Kolmogorov–Smirnov: the largest gap between the two empirical distribution functions, and its p-value
     * from the asymptotic distribution (deterministic and fast; commons-math's exact and Monte Carlo p-values are for
     * small samples, and with tied values, as rounded measurements have, the asymptotic p-value is conservative).
     */
    static Result ks(double[] reference, double[] window) {
        double d = KS.kolmogorovSmirnovStatistic(reference, window);
        return new Result(d, clamp(KS.approximateP(d, reference.length, window.length)));
    }

    /** PSI over the reference's decile bins. */
    static double psi(FeatureProfile.Numeric reference, double[] window) {
        double[] counts = new double[reference.edges().length + 1];
        for (double v : window) {
            counts[reference.bin(v)]++;
        }
        double[] ref = new double[counts.length];
        for (double v : reference.values()) {
            ref[reference.bin(v)]++;
        }
        return psi(ref, counts);
    }

    /** χ² two-sample test of the category counts; the window's unseen values are categories of their own. */
    static Result chiSquare(FeatureProfile.Categorical reference, Map<String, Long> window) {
        Map<String, long[]> both = table(reference, window);
        long[] ref = both.values().stream().mapToLong(c -> c[0]).toArray();
        long[] win = both.values().stream().mapToLong(c -> c[1]).toArray();
        if (ref.length < 2) {
            return new Result(0, 1.0); // one value on both sides: nothing can differ
        }
        return new Result(CHI_SQUARE.chiSquareDataSetsComparison(ref, win),
                clamp(CHI_SQUARE.chiSquareTestDataSetsComparison(ref, win)));
    }

    /** PSI over the categories of both sides. */
    static double psi(FeatureProfile.Categorical reference, Map<String, Long> window) {
        Map<String, long[]> both = table(reference, window);
        return psi(both.values().stream().mapToDouble(c -> c[0]).toArray(),
                both.values().stream().mapToDouble(c -> c[1]).toArray());
    }

    private static Map<String, long[]> table(FeatureProfile.Categorical reference, Map<String, Long> window) {
        Map<String, long[]> both = new LinkedHashMap<>();
        reference.counts().forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[0] = v);
        window.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[1] = v);
        both.values().removeIf(c -> c[0] == 0 && c[1] == 0);
        return both;
    }

    /** Σ (w − r) · ln(w / r) over bins, shares taken after adding {@link #PSI_SMOOTHING} to each count. */
    static double psi(double[] referenceCounts, double[] windowCounts) {
        double refTotal = Arrays.stream(referenceCounts).sum() + PSI_SMOOTHING * referenceCounts.length;
        double winTotal = Arrays.stream(windowCounts).sum() + PSI_SMOOTHING * windowCounts.length;
        double psi = 0;
        for (int i = 0; i < referenceCounts.length; i++) {
            double r = (referenceCounts[i] + PSI_SMOOTHING) / refTotal;
            double w = (windowCounts[i] + PSI_SMOOTHING) / winTotal;
            psi += (w - r) * Math.log(w / r);
        }
        return psi;
    }

    private static double clamp(double p) {
        return Math.max(0, Math.min(1, p));
    }
}
