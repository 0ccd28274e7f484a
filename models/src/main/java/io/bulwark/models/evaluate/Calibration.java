package io.bulwark.models.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a model's confidence matches how often it is right: the expected calibration error over equal-width bins
 * of the top label's probability, and each non-empty bin (a reliability diagram's points).
 *
 * @param ece  the expected calibration error: the bins' |accuracy − mean confidence|, weighted by their share of
 *             the rows; 0 is perfectly calibrated
 * @param bins the non-empty bins, lowest first
 */
@JsonPropertyOrder({"ece", "bins"})
public record Calibration(double ece, List<Bin> bins) {

    /** The bins of {@link #of}: ten, each a tenth of [0, 1]. */
    public static final int DEFAULT_BINS = 10;

    public Calibration {
        bins = List.copyOf(bins);
    }

    /**
     * One bin: the rows whose top probability lies in {@code (lower, upper]} (the first bin also takes 0).
     *
     * @param count          rows in the bin
     * @param meanConfidence their mean top probability
     * @param accuracy       the share of them labelled right
     */
    @JsonPropertyOrder({"lower", "upper", "count", "mean_confidence", "accuracy"})
    public record Bin(double lower, double upper, int count,
                      @JsonProperty("mean_confidence") double meanConfidence, double accuracy) {
    }

    /**
     * Computes the calibration of rows given, index by index, the top probability and whether the top label was
     * right.
     */
    public static Calibration of(List<Double> confidence, List<Boolean> correct, int binCount) {
        if (confidence.size() != correct.size() || confidence.isEmpty() || binCount < 1) {
            throw new IllegalArgumentException("need as many confidences as outcomes, at least one, and a bin");
        }
        int[] count = new int[binCount];
        double[] confidenceSum = new double[binCount];
        int[] right = new int[binCount];
        for (int i = 0; i < confidence.size(); i++) {
            double c = Math.min(1, Math.max(0, confidence.get(i)));
            int b = Math.max(0, Math.min(binCount - 1, (int) Math.ceil(c * binCount) - 1));
            count[b]++;
            confidenceSum[b] += c;
            if (correct.get(i)) {
                right[b]++;
            }
        }
        double ece = 0;
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b < binCount; b++) {
            if (count[b] == 0) {
                continue;
            }
            double mean = confidenceSum[b] / count[b];
            double accuracy = (double) right[b] / count[b];
            ece += (double) count[b] / confidence.size() * Math.abs(accuracy - mean);
            bins.add(new Bin(round((double) b / binCount), round((double) (b + 1) / binCount), count[b], round(mean),
                    round(accuracy)));
        }
        return new Calibration(round(ece), bins);
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
