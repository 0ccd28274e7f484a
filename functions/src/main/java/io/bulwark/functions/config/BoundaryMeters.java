package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.BreakerStates;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Failover;
import io.bulwark.resilience.LocalModelFallback;
import io.bulwark.resilience.RateLimitFallback;
import io.bulwark.resilience.TemplateFallback;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.TimeoutFallback;
import io.bulwark.resilience.cache.SemanticCache;
import io.bulwark.resilience.failure.FailureType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the sentiment boundary's counters as Micrometer meters, read when scraped.
 */
record BoundaryMeters(BoundaryMetrics metrics, SentimentChain chain) implements MeterBinder {

    private static final List<String> FALLBACKS = List.of(BoundaryMetrics.NO_FALLBACK, RateLimitFallback.NAME,
            TimeoutFallback.NAME, LocalModelFallback.NAME, TemplateFallback.NAME, Failover.NEXT_PROVIDER,
            Failover.REASK);

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("bulwark.boundary.requests", metrics, BoundaryMetrics::requests)
                .tag("function", "sentiment").description("requests that entered the error boundary")
                .register(registry);
        for (FailureType type : FailureType.values()) {
            FunctionCounter.builder("bulwark.boundary.errors", metrics, m -> m.errors(type))
                    .tag("function", "sentiment").tag("type", type.code())
                    .description("failures inside the boundary, by type").register(registry);
        }
        for (Tier tier : Tier.values()) {
            if (tier == Tier.CACHE) {
                continue; // cache hits never reach the boundary
            }
            FunctionCounter.builder("bulwark.boundary.answers", metrics, m -> m.answers(tier))
                    .tag("function", "sentiment").tag("tier", tier.code())
                    .description("answers of the boundary, by tier").register(registry);
        }
        for (String fallback : FALLBACKS) {
            FunctionCounter.builder("bulwark.boundary.fallbacks", metrics, m -> m.answers(fallback))
                    .tag("function", "sentiment").tag("fallback", fallback)
                    .description("answers of the boundary, by the fallback that gave them").register(registry);
        }
        FunctionCounter.builder("bulwark.cache.shared.received", chain, SentimentChain::sharedEntriesReceived)
                .tag("function", "sentiment")
                .description("answers other instances shared with this one's caches (bulwark.state.redis-url)")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.shared.errors", chain, SentimentChain::sharedCacheErrors)
                .tag("function", "sentiment")
                .description("lookups of the fleet's shared cache that Redis did not answer (counted as misses)")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.semantic.lookups", chain,
                        c -> c.semanticStats().map(SemanticCache.Stats::hits).orElse(0L))
                .tag("function", "sentiment").tag("result", "hit").description("semantic-cache lookups, by result")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.semantic.lookups", chain,
                        c -> c.semanticStats().map(SemanticCache.Stats::misses).orElse(0L))
                .tag("function", "sentiment").tag("result", "miss").description("semantic-cache lookups, by result")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.semantic.guard.rejections", chain,
                        c -> c.semanticStats().map(SemanticCache.Stats::guardRejections).orElse(0L))
                .tag("function", "sentiment")
                .description("misses where a similar entry was found but the polarity guard refused it")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.semantic.errors", chain, SentimentChain::semanticErrors)
                .tag("function", "sentiment").description("requests the semantic cache could not embed")
                .register(registry);
        FunctionCounter.builder("bulwark.cache.semantic.skipped", chain, SentimentChain::semanticSkipped)
                .tag("function", "sentiment")
                .description("requests that skipped the semantic cache: the in-process embedder was at its bound")
                .register(registry);
        // Per (provider, model) choice of the LLM tiers: model is provider:model (the bare model with base-url).
        for (Failover.ChoiceStats choice : chain.choiceStats()) {
            String id = choice.id();
            FunctionCounter.builder("bulwark.llm.calls", chain, c -> stats(c, id).calls())
                    .tag("function", "sentiment").tag("model", id)
                    .description("calls to an LLM provider's model, first calls and retries").register(registry);
            FunctionCounter.builder("bulwark.llm.answers", chain, c -> stats(c, id).answers())
                    .tag("function", "sentiment").tag("model", id)
                    .description("good answers of an LLM provider's model").register(registry);
            FunctionCounter.builder("bulwark.llm.skipped", chain, c -> stats(c, id).skipped())
                    .tag("function", "sentiment").tag("model", id)
                    .description("requests that skipped an LLM provider's model without a call: it was cooling down"
                            + " after a 429").register(registry);
            for (FailureType type : FailureType.values()) {
                FunctionCounter.builder("bulwark.llm.failures", chain,
                                c -> stats(c, id).failures().getOrDefault(type, 0L))
                        .tag("function", "sentiment").tag("model", id).tag("type", type.code())
                        .description("failed calls to an LLM provider's model, by type").register(registry);
            }
            Gauge.builder("bulwark.llm.cooldown", chain, c -> stats(c, id).cooldown().toMillis() / 1000.0)
                    .tag("function", "sentiment").tag("model", id).baseUnit("seconds")
                    .description("seconds an LLM provider's model is still skipped after a 429 (0: callable)")
                    .register(registry);
            if (chain.retryTokens().containsKey(id)) {
                Gauge.builder("bulwark.llm.retry.tokens", chain, c -> c.retryTokens().getOrDefault(id, 0.0))
                        .tag("function", "sentiment").tag("model", id)
                        .description("tokens left in an LLM provider's model's retry budget: same-choice retries"
                                + " stop at half (bulwark.llm.retry.*)").register(registry);
            }
        }
        // Hedged requests of each hedging tier, by outcome: won (the hedge answered), lost (the first call did),
        // failed (neither), over_share (not sent: bulwark.llm.hedge.max-share reached).
        for (Failover.HedgeStats h : chain.hedgeStats()) {
            Tier tier = h.tier();
            Map<String, java.util.function.ToDoubleFunction<Failover.HedgeStats>> outcomes = new LinkedHashMap<>();
            outcomes.put("won", Failover.HedgeStats::won);
            outcomes.put("lost", Failover.HedgeStats::lost);
            outcomes.put("failed", Failover.HedgeStats::failed);
            outcomes.put("over_share", Failover.HedgeStats::overShare);
            outcomes.forEach((outcome, read) -> FunctionCounter.builder("bulwark.llm.hedges", chain,
                            c -> c.hedgeStats().stream().filter(s -> s.tier() == tier).mapToDouble(read).sum())
                    .tag("function", "sentiment").tag("tier", tier.code()).tag("outcome", outcome)
                    .description("hedged LLM requests of a tier, by outcome").register(registry));
        }
        for (String model : chain.breakerStates().keySet()) {
            Gauge.builder("bulwark.breaker.open", chain,
                            c -> BreakerStates.CLOSED.equals(c.breakerStates().get(model)) ? 0.0 : 1.0)
                    .tag("function", "sentiment").tag("model", model)
                    .description("1 while the model's LLM circuit breaker is not closed").register(registry);
        }
    }

    private static Failover.ChoiceStats stats(SentimentChain chain, String id) {
        return chain.choiceStats().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
