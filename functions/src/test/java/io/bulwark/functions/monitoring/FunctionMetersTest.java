package io.bulwark.functions.monitoring;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The meters of every call: registered once per set of tags, and every call counted on the right one. */
class FunctionMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FunctionMeters meters = new FunctionMeters(registry);

    @Test
    void should_count_every_call_on_the_meter_of_its_tags() {
        for (int i = 0; i < 3; i++) {
            meters.onCall(Calls.llm(2));
        }
        meters.onCall(Calls.fallback("local_model"));
        meters.onCall(Calls.exactHit());
        meters.onCall(Calls.status("predict", 503, 1));
        meters.onCall(Calls.status("predict", 400, 1));

        assertThat(registry.get("bulwark.function.latency").tags("function", "sentiment", "status", "2xx").timer()
                .count()).isEqualTo(5);
        assertThat(registry.get("bulwark.function.latency").tags("function", "sentiment", "status", "2xx").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isCloseTo(3 * 2 + 300 + 1, within(1e-6));
        assertThat(registry.get("bulwark.function.latency").tags("function", "predict", "status", "5xx").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("bulwark.function.latency").tags("function", "predict", "status", "4xx").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("bulwark.sentiment.answers").tags("tier", "llm-cheap", "cache", "none",
                "fallback", "none").counter().count()).isEqualTo(3);
        assertThat(registry.get("bulwark.sentiment.answers").tags("tier", "cache", "cache", "exact",
                "fallback", "none").counter().count()).isEqualTo(1);
        assertThat(registry.get("bulwark.function.errors").tags("function", "sentiment", "reason", "fallback")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("bulwark.function.errors").tags("function", "predict", "reason", "server_error")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("bulwark.model.answers").tags("function", "sentiment", "model", "gpt-4o-mini")
                .counter().count()).isEqualTo(4);
        assertThat(registry.get("bulwark.sentiment.cost").tags("model", "gpt-4o-mini").summary().totalAmount())
                .isCloseTo(3 * 0.000015, within(1e-12));
        assertThat(registry.find("bulwark.sentiment.cost").summaries()).hasSize(2); // gpt-4o-mini, local-logreg-v2
    }
}
