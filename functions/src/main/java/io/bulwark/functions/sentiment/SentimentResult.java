package io.bulwark.functions.sentiment;

import io.bulwark.resilience.Tier;
import io.bulwark.resilience.sentiment.Sentiment;

import java.time.Duration;

/**
 * What the sentiment chain answered and how: the judgement, where it came from, and what it cost.
 *
 * @param cache      {@code exact} or {@code semantic} for a cache hit, else null
 * @param similarity for a semantic hit, the cosine similarity of the cached text to this one; else null
 * @param fallback   the fallback that answered, else null
 */
public record SentimentResult(Sentiment sentiment, Tier tier, String model, String cache, Double similarity,
                              String fallback, boolean degraded, double costUsd, Duration latency) {
}
