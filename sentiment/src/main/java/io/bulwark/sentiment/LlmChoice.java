package io.bulwark.sentiment;

import io.bulwark.resilience.Failover;

import java.util.Objects;

/**
 * One (provider, model) choice of an LLM tier: the provider's name, its client for one model, and its weight among
 * the tier's healthy choices. Its {@link #id()} names it in answers ({@code model_used}), metrics, breakers, rate
 * limits and prices: {@code provider:model}, or the bare model for the provider without a name (the single
 * {@code bulwark.llm.base-url} of old, whose answers keep saying {@code gpt-4o-mini}).
 *
 * @param provider the provider's name; empty for the one unnamed provider
 * @param llm      the client of one model at that provider
 * @param weight   the share of first choices among healthy choices; 0: a backup, asked only after the others
 */
public record LlmChoice(String provider, SentimentProvider llm, int weight) {

    public LlmChoice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(llm, "llm");
        if (provider.contains(":") || provider.contains("|")) {
            throw new IllegalArgumentException("a provider name must not contain ':' or '|': " + provider);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("the weight of " + provider + " must not be negative: " + weight);
        }
    }

    /** The choice of the one unnamed provider, of the default weight. */
    public static LlmChoice unnamed(SentimentProvider llm) {
        return new LlmChoice("", llm, Failover.DEFAULT_WEIGHT);
    }

    /** Returns {@code provider:model}, or the model alone for the unnamed provider. */
    public String id() {
        return provider.isEmpty() ? llm.model() : provider + ":" + llm.model();
    }
}
