package io.bulwark.models.tune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * What a tuning run found: every trial (the algorithm's defaults first, as the baseline), the best, and why it
 * stopped. Saved in the metadata of the version trained with the best configuration.
 *
 * @param run      the run's id (the job's)
 * @param stopped  {@code completed}, {@code trial_budget}, {@code time_budget} or {@code cancelled}
 * @param defaults the defaults' trial
 * @param best     the best trial on the full training rows (ties: the earlier)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"by", "run", "algorithm", "strategy", "metric", "folds", "seed", "stopped", "defaults", "best",
        "trials"})
public record Tuning(String by, String run, String algorithm, String strategy, String metric, int folds, long seed,
                     String stopped, Trial defaults, Trial best, List<Trial> trials) {

    /**
     * One configuration cross-validated on one budget of rows.
     *
     * @param rung     successive halving's round (0 for the other strategies)
     * @param fraction the share of each fold's training rows used
     * @param mean     the figure's mean over the folds
     * @param sd       its standard deviation over the folds
     */
    @JsonPropertyOrder({"trial", "rung", "fraction", "hyperparameters", "mean", "sd", "ms"})
    public record Trial(int trial, int rung, double fraction, Map<String, Object> hyperparameters, double mean,
                        double sd, long ms) {
    }

    /** Returns the best trial's improvement over the defaults. */
    @JsonProperty("improvement")
    public double improvement() {
        return Math.round((best.mean() - defaults.mean()) * 10_000) / 10_000.0;
    }
}
