package io.bulwark.functions.sentiment;

import io.bulwark.resilience.Tier;
import io.bulwark.resilience.sentiment.Sentiment;

import java.time.Duration;

/**
 * What the sentiment chain answered and how: the judgement, where it came from, and what it cost.
 *
 * @param cache    {@code exact} or {@code semantic} for a cache hit, else null
 * @param fallback the fallback that answered, else null
 */
public record SentimentResult(Sentiment sentiment, Tier tier, String model, String cache, String fallback,
                              boolean degraded, double costUsd, Duration latency) {
}
