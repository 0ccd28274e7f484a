package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * One point of the dashboard's time series: the requests that ended in one bucket.
 *
 * @param t              the bucket's start, epoch milliseconds
 * @param requests       requests of every function
 * @param functions      requests by function
 * @param latencyMs      sentiment latency statistics in the bucket
 * @param tiers          sentiment answers by tier
 * @param exactHitRate   share of sentiment answers from the exact cache
 * @param semanticHitRate share from the semantic cache
 * @param errorRate      share of requests that failed (5xx or a fallback)
 * @param costPer1000Usd mean cost of 1,000 sentiment answers in the bucket
 * @param costPerDayUsd  the bucket's spending rate over 24 hours
 * @param breaker        the worst breaker state last seen in the bucket (see {@link BreakerStates#worst}; null
 *                       without an LLM)
 * @param breakers       the state of each model's breaker last seen in the bucket, in tier order
 */
@JsonPropertyOrder({"t", "requests", "functions", "latency_ms", "tiers", "exact_hit_rate", "semantic_hit_rate",
        "error_rate", "cost_per_1000_usd", "cost_per_day_usd", "breaker", "breakers"})
public record Point(long t, int requests, Map<String, Integer> functions, @JsonProperty("latency_ms") Stats latencyMs,
                    Map<String, Integer> tiers, @JsonProperty("exact_hit_rate") double exactHitRate,
                    @JsonProperty("semantic_hit_rate") double semanticHitRate,
                    @JsonProperty("error_rate") double errorRate,
                    @JsonProperty("cost_per_1000_usd") double costPer1000Usd,
                    @JsonProperty("cost_per_day_usd") double costPerDayUsd, String breaker,
                    Map<String, String> breakers) {
}
