package io.bulwark.models.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * How one version's served inputs compare with its training profile, feature by feature.
 *
 * @param verdict  {@link #DRIFT} when any feature drifted, {@link #NO_DRIFT}, {@link #INSUFFICIENT_DATA} while the
 *                 window is smaller than its minimum, {@link #NO_REFERENCE} for a version saved without a profile
 * @param window   the window's size, capacity and minimum
 * @param alpha    the false-alarm rate the whole window may take; each test's threshold is {@code alpha / features}
 * @param drifted  the features that drifted
 * @param features each feature's tests and verdict (empty without a verdict)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"version", "verdict", "window", "alpha", "drifted", "features"})
public record DriftReport(String version, String verdict, Window window, double alpha, List<String> drifted,
                          List<FeatureDrift> features) {

    public static final String DRIFT = "drift";
    public static final String NO_DRIFT = "no_drift";
    public static final String INSUFFICIENT_DATA = "insufficient_data";
    public static final String NO_REFERENCE = "no_reference";

    public DriftReport {
        drifted = List.copyOf(drifted);
        features = List.copyOf(features);
    }

    /** True when the verdict is {@link #DRIFT}. */
    public boolean drifting() {
        return DRIFT.equals(verdict);
    }

    /**
     * @param size     served inputs in the window now
     * @param capacity the most it keeps (the most recent)
     * @param min      inputs it needs before a verdict
     * @param observed inputs this version has served since start-up (the window holds the last of them)
     */
    @JsonPropertyOrder({"size", "capacity", "min", "observed"})
    public record Window(int size, int capacity, int min, long observed) {
    }

    /**
     * One feature's comparison.
     *
     * @param kind    {@code numeric} or {@code categorical}
     * @param verdict {@link #DRIFT} when every test of the feature crossed its threshold, else {@link #NO_DRIFT}
     */
    @JsonPropertyOrder({"feature", "kind", "verdict", "tests"})
    public record FeatureDrift(String feature, String kind, String verdict, List<Test> tests) {
        public FeatureDrift {
            tests = List.copyOf(tests);
        }
    }

    /**
     * One test of a feature.
     *
     * @param test      {@code ks} (Kolmogorov–Smirnov), {@code chi_square} or {@code psi}
     * @param statistic the test's statistic
     * @param pValue    its p-value; null for PSI, which has none
     * @param threshold for a test with a p-value, drift needs a p-value below it; for PSI, a statistic at least it
     * @param crossed   whether this test's threshold was crossed
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"test", "statistic", "p_value", "threshold", "crossed"})
    public record Test(String test, double statistic, @JsonProperty("p_value") Double pValue, double threshold,
                       boolean crossed) {
    }
}
