package io.bulwark.functions.monitoring;

import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.FailureType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationsTest {

    final SimulatedTime time = new SimulatedTime();
    final Map<String, String> breakers = new LinkedHashMap<>(Map.of("gpt-4o-mini", "CLOSED"));
    final Monitor monitor = new Monitor(MonitorSettings.defaults(), time.clock(), () -> breakers);
    final Recommendations advice = new Recommendations(Recommendations.Targets.defaults(0.90));

    RecommendationsTest() {
        time.advance(Duration.ofMinutes(5)); // the window is fully covered
    }

    List<String> texts() {
        return advice.from(monitor.summary()).stream().map(Recommendations.Recommendation::text).toList();
    }

    void send(int n, io.bulwark.functions.http.FunctionCall call) {
        for (int i = 0; i < n; i++) {
            monitor.onCall(call);
        }
    }

    @Test
    void should_suggest_lowering_the_semantic_threshold_when_it_rarely_hits() {
        send(97, Calls.llm(200));
        send(3, Calls.semanticHit());

        assertThat(texts()).anySatisfy(t -> assertThat(t).startsWith("Semantic cache hit rate is 3.0%: consider lowering"
                + " bulwark.cache.semantic.threshold (now 0.9)"));
    }

    @Test
    void should_say_how_much_traffic_goes_to_the_strong_model() {
        send(60, Calls.llm(200));
        send(40, Calls.sentiment(300, "llm-strong", null, null, 0.0001));

        assertThat(texts()).contains("40% of traffic goes to the strong model: check the cost router's thresholds.");
    }

    @Test
    void should_name_the_commonest_failure_when_many_answers_need_a_fallback() {
        send(80, Calls.llm(200));
        send(20, Calls.fallback("local_model"));
        monitor.onFailure(FailureType.UNAVAILABLE);
        monitor.onFailure(FailureType.UNAVAILABLE);
        monitor.onFailure(FailureType.TIMED_OUT);

        assertThat(texts()).anySatisfy(t -> assertThat(t)
                .startsWith("20% of answers needed a fallback (most failures: unavailable, 2)"));
    }

    @Test
    void should_compare_p95_and_cost_with_the_seed_targets() {
        send(100, Calls.sentiment(900, "llm-cheap", null, null, 0.00002));

        assertThat(texts()).contains(
                "p95 latency is 900 ms, above the 500 ms target: lower bulwark.llm.timeout so slow calls fall back"
                        + " sooner, or answer more from the caches.",
                "Cost per 1,000 requests is $0.0200, above the $0.01 target (projected $0.58 a day): raise the cache"
                        + " hit rate or send more traffic to the local model.");
    }

    @Test
    void should_name_each_breaker_that_is_not_closed() {
        breakers.put("gpt-4o", "OPEN");
        breakers.put("gpt-4o-mini", "HALF_OPEN");
        send(100, Calls.llm(200));

        assertThat(texts()).contains(
                "The circuit breaker of gpt-4o-mini is half-open: its answers come from the local model. Check the"
                        + " provider's status and error logs.",
                "The circuit breaker of gpt-4o is open: its answers come from the local model. Check the provider's"
                        + " status and error logs.");
    }

    @Test
    void should_say_all_is_within_targets_when_it_is() {
        send(50, Calls.llm(200));
        send(50, Calls.semanticHit());

        assertThat(texts()).containsExactly("All within targets: p95 200 ms, $0.0075 per 1,000 requests, cache hit rate 50%.");
    }

    @Test
    void should_give_no_advice_on_too_little_traffic() {
        send(5, Calls.sentiment(5000, "llm-strong", null, null, 1.0));

        assertThat(texts()).singleElement().asString().startsWith("Not enough traffic for advice yet: 5");
    }
}
