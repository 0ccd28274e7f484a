package io.bulwark.sentiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.resilience.Tier;

import java.time.Duration;
import java.util.Objects;

/**
 * What the sentiment chain answered and how: the judgement, where it came from, what it cost and how long it took.
 * The one answer type of the sentiment path: the chain returns it, the simulator tallies it, and it is the body of
 * {@code POST /sentiment} as the HTTP contract spells it (its JSON names are those of the contract).
 *
 * @param cache      {@code exact} or {@code semantic} for a cache hit, else null
 * @param similarity for a semantic hit, the cosine similarity of the cached text to this one (4 places); else null
 * @param model      the model that produced the answer (for a cache hit, the one that produced the cached answer)
 * @param fallback   the fallback that answered, else null
 * @param latency    time spent answering
 * @param requestId  the request's id, once the edge has given it one; else null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"sentiment", "confidence", "cached", "cache", "similarity", "model_used", "tier", "degraded",
        "fallback", "cost_usd", "latency_ms", "request_id"})
public record SentimentAnswer(@JsonIgnore SentimentLabel label, double confidence, String cache, Double similarity,
                              @JsonProperty("model_used") String model, @JsonIgnore Tier tier, String fallback,
                              boolean degraded, @JsonProperty("cost_usd") double costUsd, @JsonIgnore Duration latency,
                              @JsonProperty("request_id") String requestId) {

    public SentimentAnswer {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(latency, "latency");
        similarity = similarity == null ? null : Math.round(similarity * 10_000) / 10_000.0;
    }

    /** Returns the label as the contract spells it: {@code positive}, {@code negative}, ... */
    @JsonProperty("sentiment")
    public String sentiment() {
        return label.wire();
    }

    /** Returns true for a cache hit. */
    @JsonProperty("cached")
    public boolean cached() {
        return cache != null;
    }

    /** Returns the tier as the contract spells it, e.g. {@code llm-cheap}. */
    @JsonProperty("tier")
    public String tierCode() {
        return tier.code();
    }

    /** Returns the latency in whole milliseconds. */
    @JsonProperty("latency_ms")
    public long latencyMs() {
        return latency.toMillis();
    }

    /** Returns this answer with the request's id. */
    public SentimentAnswer withRequestId(String id) {
        return new SentimentAnswer(label, confidence, cache, similarity, model, tier, fallback, degraded, costUsd,
                latency, id);
    }
}
