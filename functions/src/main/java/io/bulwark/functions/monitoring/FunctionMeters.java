package io.bulwark.functions.monitoring;

import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of every function call, for {@code /actuator/prometheus}: a latency timer with a histogram
 * (so Prometheus computes p50/p95/p99 with {@code histogram_quantile}), errors, sentiment answers by tier,
 * cache, fallback and model, and the cost of each answer. Meter lookups are cached by the registry.
 */
public final class FunctionMeters implements FunctionObserver {

    private final MeterRegistry registry;

    public FunctionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCall(FunctionCall call) {
        Sample s = Sample.of(call, 0);
        String status = call.status() / 100 + "xx";
        Timer.builder("bulwark.function.latency")
                .description("time spent inside each function, by status class")
                .tag("function", call.function()).tag("status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(call.latencyNanos(), TimeUnit.NANOSECONDS);
        if (s.error()) {
            Counter.builder("bulwark.function.errors")
                    .description("failed requests: a 5xx, or a sentiment answer from a fallback")
                    .tag("function", call.function()).tag("reason", s.serverError() ? "server_error" : "fallback")
                    .register(registry).increment();
        }
        if (s.model() != null && call.status() < 400) {
            Counter.builder("bulwark.model.answers").description("answers by the model (version) that gave them")
                    .tag("function", call.function()).tag("model", s.model()).register(registry).increment();
        }
        if (!s.sentimentAnswer()) {
            return;
        }
        Counter.builder("bulwark.sentiment.answers")
                .description("sentiment answers by tier, cache and fallback")
                .tag("tier", s.tier()).tag("cache", s.cache() == null ? "none" : s.cache())
                .tag("fallback", s.fallback() == null ? "none" : s.fallback())
                .register(registry).increment();
        DistributionSummary.builder("bulwark.sentiment.cost").baseUnit("usd")
                .description("cost of each sentiment answer; the sum is the cumulative cost")
                .tag("model", s.model() == null ? "none" : s.model())
                .register(registry).record(s.costUsd());
    }
}
