package io.bulwark.models.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The distribution of one feature over a dataset version's accepted rows. Every profile has the counts and the
 * missing rate (the share of rows where the field was absent, null or blank before validation filled in its
 * default); a number adds its range, mean, standard deviation, quantiles and a ten-bin histogram; a category its
 * frequencies.
 *
 * @param quantiles   p01 … p99, read from a 1,000-bin histogram over [min, max]: each within (max − min) / 1000 of
 *                    the exact order statistic
 * @param frequencies rows per value, in the values' order, for at most {@value Profiler#MAX_CATEGORIES} values (the
 *                    first seen)
 * @param other       rows whose value was past that many distinct values (0 when none was)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "count", "missing", "missing_rate", "min", "max", "mean", "std", "quantiles", "histogram",
        "frequencies", "other"})
public record FeatureProfile(String type, long count, long missing, @JsonProperty("missing_rate") double missingRate,
                             Double min, Double max, Double mean, Double std, Map<String, Double> quantiles,
                             Histogram histogram, Map<String, Long> frequencies, Long other) {

    /** Counts of values in equal-width bins: {@code counts[i]} between {@code edges[i]} and {@code edges[i + 1]}. */
    public record Histogram(List<Double> edges, List<Long> counts) {
    }
}
