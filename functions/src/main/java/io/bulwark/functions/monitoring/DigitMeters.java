package io.bulwark.functions.monitoring;

import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The digit recogniser's answers as Micrometer counters, for the shares Prometheus computes as
 * {@code /metrics/summary} does: {@code bulwark.digits.answers} (one per answered request, tags {@code function},
 * {@code variant}, {@code degraded}, {@code fallback} yes/no) and {@code bulwark.digits.recognised} (one per digit,
 * tags {@code function}, {@code variant}, {@code result} digit/uncertain). Latency and request counts are every
 * function's ({@code bulwark.function.latency}).
 */
public final class DigitMeters implements FunctionObserver {

    private final MeterRegistry registry;

    public DigitMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onCall(FunctionCall call) {
        Sample s = Sample.of(call, 0);
        if (!s.digitAnswer() || s.status() >= 400) {
            return;
        }
        Counter.builder("bulwark.digits.answers").description("answered digit requests by variant, degradation and"
                        + " fallback")
                .tag("function", s.function()).tag("variant", s.variant())
                .tag("degraded", Boolean.toString(s.degraded())).tag("fallback", s.fallback() == null ? "no" : "yes")
                .register(registry).increment();
        if (s.digits() > s.uncertain()) {
            recognised(s, "digit").increment(s.digits() - s.uncertain());
        }
        if (s.uncertain() > 0) {
            recognised(s, "uncertain").increment(s.uncertain());
        }
    }

    private Counter recognised(Sample s, String result) {
        return Counter.builder("bulwark.digits.recognised").description("digits answered, by variant and result"
                        + " (a digit, or uncertain)")
                .tag("function", s.function()).tag("variant", s.variant()).tag("result", result).register(registry);
    }
}
