package io.bulwark.functions.monitoring;

import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Micrometer meters of every function call, for {@code /actuator/prometheus}: a latency timer with a histogram
 * (so Prometheus computes p50/p95/p99 with {@code histogram_quantile}), errors, sentiment answers by tier,
 * cache, fallback and model, and the cost of each answer. Each meter is registered once, on the first call with its
 * tags, and kept here by those tags: building a meter's id and looking it up in the registry on every call was a
 * tenth of the observers' cost on the LLM path (BENCHMARKS.md, "Side by side with Portkey"). The tags' values are
 * few (functions, status classes, tiers, models), so the map stays small.
 */
public final class FunctionMeters implements FunctionObserver {

    private final MeterRegistry registry;
    private final Map<Key, Meter> meters = new ConcurrentHashMap<>();

    public FunctionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCall(FunctionCall call) {
        Sample s = Sample.of(call, 0);
        String status = call.status() / 100 + "xx";
        meter(new Key(Kind.LATENCY, call.function(), status, null), k -> Timer.builder("bulwark.function.latency")
                .description("time spent inside each function, by status class")
                .tag("function", k.a()).tag("status", k.b())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry), Timer.class)
                .record(call.latencyNanos(), TimeUnit.NANOSECONDS);
        if (s.error()) {
            meter(new Key(Kind.ERRORS, call.function(), s.serverError() ? "server_error" : "fallback", null),
                    k -> Counter.builder("bulwark.function.errors")
                            .description("failed requests: a 5xx, or a sentiment answer from a fallback")
                            .tag("function", k.a()).tag("reason", k.b())
                            .register(registry), Counter.class).increment();
        }
        if (s.model() != null && call.status() < 400) {
            meter(new Key(Kind.MODEL_ANSWERS, call.function(), s.model(), null),
                    k -> Counter.builder("bulwark.model.answers")
                            .description("answers by the model (version) that gave them")
                            .tag("function", k.a()).tag("model", k.b()).register(registry), Counter.class)
                    .increment();
        }
        if (!s.sentimentAnswer()) {
            return;
        }
        meter(new Key(Kind.SENTIMENT_ANSWERS, s.tier(), s.cache() == null ? "none" : s.cache(),
                        s.fallback() == null ? "none" : s.fallback()),
                k -> Counter.builder("bulwark.sentiment.answers")
                        .description("sentiment answers by tier, cache and fallback")
                        .tag("tier", k.a()).tag("cache", k.b()).tag("fallback", k.c())
                        .register(registry), Counter.class).increment();
        meter(new Key(Kind.COST, s.model() == null ? "none" : s.model(), null, null),
                k -> DistributionSummary.builder("bulwark.sentiment.cost").baseUnit("usd")
                        .description("cost of each sentiment answer; the sum is the cumulative cost")
                        .tag("model", k.a())
                        .register(registry), DistributionSummary.class).record(s.costUsd());
    }

    /** The meter of {@code key}, registered by {@code register} on its first use. */
    private <M extends Meter> M meter(Key key, Function<Key, M> register, Class<M> type) {
        Meter m = meters.get(key);
        if (m == null) {
            m = meters.computeIfAbsent(key, register::apply);
        }
        return type.cast(m);
    }

    private enum Kind { LATENCY, ERRORS, MODEL_ANSWERS, SENTIMENT_ANSWERS, COST }

    /** A meter's name (its kind) and tag values. */
    private record Key(Kind kind, String a, String b, String c) {
    }
}
