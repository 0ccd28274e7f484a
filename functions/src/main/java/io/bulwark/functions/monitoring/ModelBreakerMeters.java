package io.bulwark.functions.monitoring;

import io.bulwark.functions.http.FunctionCall;
import io.bulwark.functions.http.FunctionObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The circuit breakers of the classifier versions (penguins) and of the digit versions and variants as Micrometer
 * gauges: {@code bulwark.breaker.open} (1 while not closed), tags {@code function} ({@code predict} or
 * {@code digits}) and {@code model} ({@code penguins v2}, {@code digits v1 int8}), the same meter the LLM breakers
 * have. A breaker exists once a call used its version, so each is registered after the first call that could have
 * made it.
 */
public final class ModelBreakerMeters implements FunctionObserver {

    private final MeterRegistry registry;
    private final Supplier<Map<String, String>> predict;
    private final Supplier<Map<String, String>> digits;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /**
     * @param predict the penguin versions' breaker states by name
     * @param digits  the digit versions' and variants' breaker states by name
     */
    public ModelBreakerMeters(MeterRegistry registry, Supplier<Map<String, String>> predict,
                              Supplier<Map<String, String>> digits) {
        this.registry = registry;
        this.predict = predict;
        this.digits = digits;
    }

    @Override
    public void onCall(FunctionCall call) {
        String f = call.function();
        if (f.equals("predict") || f.equals("predict_batch")) {
            register("predict", predict);
        } else if (f.equals("digits") || f.equals("digits_batch")) {
            register("digits", digits);
        }
    }

    private void register(String function, Supplier<Map<String, String>> states) {
        for (String name : states.get().keySet()) {
            if (registered.add(function + '|' + name)) {
                Gauge.builder("bulwark.breaker.open", states,
                                s -> BreakerStates.CLOSED.equals(s.get().getOrDefault(name, BreakerStates.CLOSED))
                                        ? 0.0 : 1.0)
                        .tag("function", function).tag("model", name)
                        .description("1 while the model's circuit breaker is not closed").register(registry);
            }
        }
    }
}
