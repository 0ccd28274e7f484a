package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.sentiment.SentimentChain;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics/providers}: the dashboard's panel of LLM providers, one row per (provider, model) as the
 * {@code bulwark.llm.*} meters count it (calls, answers, failures by type, skips while cooling down, the cooldown
 * left), its circuit breaker's state, and each hedging tier's {@code bulwark.llm.hedges} by outcome. Since
 * start-up, not per window: the meters are counters.
 */
@RestController
class ProvidersController {

    /** What {@code GET /metrics/providers} answers. */
    record Providers(List<ProviderModel> models, List<TierHedges> hedges) {
    }

    /**
     * One (provider, model) of the LLM tiers.
     *
     * @param model    {@code provider:model}, or the bare model with {@code bulwark.llm.base-url}
     * @param breaker  its circuit breaker: CLOSED, OPEN or HALF_OPEN
     * @param failures failed calls by type, the types that occurred
     * @param retryTokens the tokens left in its retry budget (same-choice retries stop at half); null while off
     */
    record ProviderModel(String model, long calls, long answers, long skipped, Map<String, Long> failures,
                         String breaker, @JsonProperty("cooldown_seconds") double cooldownSeconds,
                         @JsonProperty("retry_tokens") Double retryTokens) {
    }

    /** The hedged requests of a tier, by outcome. */
    record TierHedges(String tier, long won, long lost, long failed, @JsonProperty("over_share") long overShare) {
    }

    private final MeterRegistry registry;
    private final ObjectProvider<SentimentChain> chain;

    ProvidersController(MeterRegistry registry, ObjectProvider<SentimentChain> chain) {
        this.registry = registry;
        this.chain = chain;
    }

    @GetMapping(path = "/metrics/providers", produces = MediaType.APPLICATION_JSON_VALUE)
    Providers providers() {
        Map<String, String> breakers = chain.getObject().breakerStates();
        List<ProviderModel> models = new ArrayList<>();
        for (FunctionCounter calls : registry.find("bulwark.llm.calls").functionCounters()) {
            String model = calls.getId().getTag("model");
            Map<String, Long> failures = new LinkedHashMap<>();
            for (FailureType type : FailureType.values()) {
                long n = count("bulwark.llm.failures", model, type.code());
                if (n > 0) {
                    failures.put(type.code(), n);
                }
            }
            Gauge cooldown = registry.find("bulwark.llm.cooldown").tag("model", model).gauge();
            Gauge tokens = registry.find("bulwark.llm.retry.tokens").tag("model", model).gauge();
            models.add(new ProviderModel(model, (long) calls.count(), count("bulwark.llm.answers", model, null),
                    count("bulwark.llm.skipped", model, null), failures, breakers.getOrDefault(model, "CLOSED"),
                    cooldown == null ? 0 : cooldown.value(), tokens == null ? null : tokens.value()));
        }
        Map<String, long[]> byTier = new LinkedHashMap<>();
        List<String> outcomes = List.of("won", "lost", "failed", "over_share");
        for (FunctionCounter c : registry.find("bulwark.llm.hedges").functionCounters()) {
            long[] row = byTier.computeIfAbsent(c.getId().getTag("tier"), t -> new long[outcomes.size()]);
            row[outcomes.indexOf(c.getId().getTag("outcome"))] += (long) c.count();
        }
        List<TierHedges> hedges = new ArrayList<>();
        byTier.forEach((tier, n) -> hedges.add(new TierHedges(tier, n[0], n[1], n[2], n[3])));
        return new Providers(List.copyOf(models), List.copyOf(hedges));
    }

    private long count(String name, String model, String type) {
        var search = registry.find(name).tag("model", model);
        if (type != null) {
            search = search.tag("type", type);
        }
        FunctionCounter c = search.functionCounter();
        return c == null ? 0 : (long) c.count();
    }
}
