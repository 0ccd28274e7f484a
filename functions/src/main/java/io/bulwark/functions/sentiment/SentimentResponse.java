package io.bulwark.functions.sentiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of a {@code /sentiment} answer, as in the HTTP contract. {@code similarity} is the cosine
 * similarity (rounded to 4 places) of the cached text a semantic-cache hit was served from; null otherwise.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"sentiment", "confidence", "cached", "cache", "similarity", "model_used", "tier", "degraded", "fallback",
        "cost_usd", "latency_ms", "request_id"})
public record SentimentResponse(
        String sentiment,
        double confidence,
        boolean cached,
        String cache,
        Double similarity,
        @JsonProperty("model_used") String modelUsed,
        String tier,
        boolean degraded,
        String fallback,
        @JsonProperty("cost_usd") double costUsd,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("request_id") String requestId) {

    static SentimentResponse of(SentimentResult r, String requestId) {
        Double similarity = r.similarity() == null ? null : Math.round(r.similarity() * 10_000) / 10_000.0;
        return new SentimentResponse(r.sentiment().label().wire(), r.sentiment().confidence(), r.cache() != null,
                r.cache(), similarity, r.model(), r.tier().code(), r.degraded(), r.fallback(), r.costUsd(),
                r.latency().toMillis(), requestId);
    }
}
