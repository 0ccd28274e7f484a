package io.bulwark.functions.monitoring;

import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.FailureType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MonitorTest {

    final SimulatedTime time = new SimulatedTime();
    /** The cheap and the strong model's breakers, in tier order, as the chain reports them. */
    final Map<String, String> breakers = new LinkedHashMap<>(Map.of("gpt-4o-mini", "CLOSED"));
    Monitor monitor = new Monitor(new MonitorSettings(Duration.ofMinutes(5), 1000, Duration.ofSeconds(10), 6),
            time.clock(), () -> breakers);

    MonitorTest() {
        breakers.put("gpt-4o", "CLOSED");
    }

    @Test
    void should_summarise_latency_with_mean_and_nearest_rank_percentiles() {
        for (int ms = 100; ms >= 1; ms--) {
            monitor.onCall(Calls.llm(ms));
        }

        Stats latency = monitor.summary().function("sentiment").latencyMs();

        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.mean()).isEqualTo(50.5);
        assertThat(latency.p50()).isEqualTo(50);
        assertThat(latency.p95()).isEqualTo(95);
        assertThat(latency.p99()).isEqualTo(99);
        assertThat(latency.max()).isEqualTo(100);
    }

    @Test
    void should_drop_samples_once_they_are_older_than_the_window() {
        monitor.onCall(Calls.llm(3000));
        time.advance(Duration.ofMinutes(4));
        monitor.onCall(Calls.llm(10));

        assertThat(monitor.summary().function("sentiment").latencyMs().max()).isEqualTo(3000);

        time.advance(Duration.ofMinutes(1));
        Summary s = monitor.summary();
        assertThat(s.function("sentiment").requests()).isEqualTo(1);
        assertThat(s.function("sentiment").latencyMs().max()).isEqualTo(10);
    }

    @Test
    void should_keep_only_the_newest_max_samples() {
        for (int i = 0; i < 1500; i++) {
            monitor.onCall(Calls.llm(i < 500 ? 9999 : 1));
        }

        Summary s = monitor.summary();

        assertThat(s.window().samples()).isEqualTo(1000);
        assertThat(s.function("sentiment").latencyMs().max()).isEqualTo(1);
    }

    @Test
    void should_count_fallbacks_and_5xx_as_errors_and_4xx_as_client_errors() {
        for (int i = 0; i < 16; i++) {
            monitor.onCall(Calls.llm(100));
        }
        monitor.onCall(Calls.fallback("local_model"));
        monitor.onCall(Calls.fallback("rate_limit"));
        monitor.onCall(Calls.status("sentiment", 500, 5));
        monitor.onCall(Calls.status("sentiment", 400, 1));

        Summary s = monitor.summary();

        assertThat(s.function("sentiment").requests()).isEqualTo(20);
        assertThat(s.function("sentiment").errorRate()).isEqualTo(0.15);
        assertThat(s.function("sentiment").clientErrorRate()).isEqualTo(0.05);
        assertThat(s.function("sentiment").status()).containsEntry("2xx", 18).containsEntry("4xx", 1).containsEntry("5xx", 1);
        assertThat(s.sentiment().answers()).isEqualTo(18);
        assertThat(s.sentiment().errorRate()).isEqualTo(0.1111);
        assertThat(s.sentiment().degradedRate()).isEqualTo(0.0556);
        assertThat(s.sentiment().fallbacks()).containsEntry("none", 16).containsEntry("local_model", 1)
                .containsEntry("rate_limit", 1);
    }

    @Test
    void should_report_cache_hit_rates_and_cost_per_request_per_1000_and_per_day() {
        time.advance(Duration.ofMinutes(5)); // the window is fully covered
        for (int i = 0; i < 6; i++) {
            monitor.onCall(Calls.sentiment(400, "llm-cheap", null, null, 0.002));
        }
        monitor.onCall(Calls.exactHit());
        monitor.onCall(Calls.exactHit());
        monitor.onCall(Calls.exactHit());
        monitor.onCall(Calls.semanticHit());

        Summary.SentimentStats st = monitor.summary().sentiment();

        assertThat(st.cacheHitRate().exact()).isEqualTo(0.3);
        assertThat(st.cacheHitRate().semantic()).isEqualTo(0.1);
        assertThat(st.cacheHitRate().total()).isEqualTo(0.4);
        assertThat(st.tiers()).containsEntry("cache", 4).containsEntry("llm-cheap", 6);
        assertThat(st.cost().totalUsd()).isCloseTo(0.012, within(1e-12));
        assertThat(st.cost().perRequestUsd().mean()).isCloseTo(0.0012, within(1e-12));
        assertThat(st.cost().per1000RequestsUsd()).isCloseTo(1.2, within(1e-9));
        // $0.012 in 300 s is $3.456 a day
        assertThat(st.cost().perDayUsd()).isCloseTo(3.456, within(1e-9));
    }

    @Test
    void should_project_cost_per_day_over_the_time_covered_after_a_start() {
        time.advance(Duration.ofSeconds(60));
        monitor.onCall(Calls.sentiment(400, "llm-cheap", null, null, 0.01));

        assertThat(monitor.summary().sentiment().cost().perDayUsd()).isCloseTo(14.4, within(1e-9));
    }

    @Test
    void should_count_boundary_failures_by_type_within_the_window() {
        monitor.onFailure(FailureType.TIMED_OUT);
        time.advance(Duration.ofMinutes(3));
        monitor.onFailure(FailureType.UNAVAILABLE);
        monitor.onFailure(FailureType.UNAVAILABLE);

        assertThat(monitor.summary().sentiment().failures()).containsEntry("timed_out", 1).containsEntry("unavailable", 2);
        time.advance(Duration.ofMinutes(2));
        assertThat(monitor.summary().sentiment().failures()).doesNotContainKey("timed_out").containsEntry("unavailable", 2);
    }

    @Test
    void should_report_the_breaker_state_and_the_models_that_answered() {
        monitor.onCall(Calls.llm(100));
        monitor.onCall(Calls.fallback("local_model"));
        monitor.onCall(Calls.predict("v1"));
        monitor.onCall(Calls.predict("v2"));
        monitor.onCall(Calls.predict("v2"));
        breakers.put("gpt-4o-mini", "OPEN");

        Summary s = monitor.summary();

        assertThat(s.sentiment().breaker()).isEqualTo("OPEN");
        assertThat(s.sentiment().breakers()).containsExactly(Map.entry("gpt-4o-mini", "OPEN"),
                Map.entry("gpt-4o", "CLOSED"));
        assertThat(s.models().get("predict")).containsEntry("v1", 1).containsEntry("v2", 2);
        assertThat(s.models().get("sentiment")).containsEntry("gpt-4o-mini", 1).containsEntry("local-logreg-v2", 1);
    }

    @Test
    void should_report_the_strong_models_breaker_open_while_the_cheap_ones_is_closed() {
        monitor.onCall(Calls.llm(100));
        breakers.put("gpt-4o", "OPEN");

        Summary.SentimentStats st = monitor.summary().sentiment();

        assertThat(st.breakers()).containsExactly(Map.entry("gpt-4o-mini", "CLOSED"), Map.entry("gpt-4o", "OPEN"));
        assertThat(st.breaker()).as("the worst of them").isEqualTo("OPEN");
    }

    @Test
    void should_report_half_open_as_the_worst_state_only_while_no_breaker_is_open() {
        breakers.put("gpt-4o-mini", "HALF_OPEN");
        assertThat(monitor.summary().sentiment().breaker()).isEqualTo("HALF_OPEN");

        breakers.put("gpt-4o", "OPEN");
        assertThat(monitor.summary().sentiment().breaker()).isEqualTo("OPEN");

        breakers.replaceAll((model, state) -> "CLOSED");
        assertThat(monitor.summary().sentiment().breaker()).isEqualTo("CLOSED");
    }

    @Test
    void should_report_no_breaker_without_an_llm() {
        Monitor m = new Monitor(MonitorSettings.defaults(), time.clock(), Map::of);
        m.onCall(Calls.sentiment(1, "local", null, null, 0));

        assertThat(m.summary().sentiment().breaker()).isNull();
        assertThat(m.summary().sentiment().breakers()).isEmpty();
        assertThat(m.series().getLast().breaker()).isNull();
    }

    @Test
    void should_draw_one_point_per_bucket_with_idle_points_and_keep_only_the_newest() {
        monitor.onCall(Calls.llm(100));
        monitor.onCall(Calls.llm(300));
        monitor.onCall(Calls.exactHit());
        time.advance(Duration.ofSeconds(30));
        breakers.put("gpt-4o", "OPEN");
        monitor.onCall(Calls.fallback("local_model"));

        List<Point> series = monitor.series();

        assertThat(series).hasSize(4);
        assertThat(series).extracting(Point::t).containsExactly(1767225600000L, 1767225610000L, 1767225620000L,
                1767225630000L);
        Point first = series.getFirst();
        assertThat(first.requests()).isEqualTo(3);
        assertThat(first.latencyMs().p50()).isEqualTo(100);
        assertThat(first.latencyMs().p99()).isEqualTo(300);
        assertThat(first.tiers()).containsEntry("llm-cheap", 2).containsEntry("cache", 1);
        assertThat(first.exactHitRate()).isEqualTo(0.3333);
        assertThat(first.costPer1000Usd()).isCloseTo(0.01, within(1e-12));
        assertThat(first.breaker()).isEqualTo("CLOSED");
        assertThat(first.breakers()).containsExactly(Map.entry("gpt-4o-mini", "CLOSED"), Map.entry("gpt-4o", "CLOSED"));
        assertThat(series.get(1).requests()).isZero();
        assertThat(series.get(1).breakers()).as("an idle point keeps the states last seen")
                .containsEntry("gpt-4o", "CLOSED");
        assertThat(series.getLast().errorRate()).isEqualTo(1.0);
        assertThat(series.getLast().breaker()).isEqualTo("OPEN");
        assertThat(series.getLast().breakers()).containsExactly(Map.entry("gpt-4o-mini", "CLOSED"),
                Map.entry("gpt-4o", "OPEN"));

        time.advance(Duration.ofSeconds(40));
        monitor.tick();
        assertThat(monitor.series()).hasSize(6).first().extracting(Point::t).isEqualTo(1767225620000L);
    }

    @Test
    void should_show_the_breakers_in_a_point_read_before_its_first_call_or_tick() {
        breakers.put("gpt-4o", "OPEN");
        monitor.onCall(Calls.llm(100));
        time.advance(Duration.ofSeconds(10)); // a new bucket begins; neither a call nor the scheduled tick has seen it

        Point last = monitor.series().getLast();

        assertThat(last.requests()).isZero();
        assertThat(last.breakers()).as("the dashboard draws the last point: it was null, a gap in the line")
                .containsExactly(Map.entry("gpt-4o-mini", "CLOSED"), Map.entry("gpt-4o", "OPEN"));
    }

    @Test
    void should_measure_the_cache_hit_rate_baseline_only_before_the_window() {
        Monitor m = new Monitor(new MonitorSettings(Duration.ofSeconds(60), 1000, Duration.ofSeconds(10), 360),
                time.clock(), Map::of);
        for (int i = 0; i < 30; i++) {
            m.onCall(i % 2 == 0 ? Calls.exactHit() : Calls.llm(100));
        }
        assertThat(m.summary().sentiment().cacheHitRate().baseline()).isNull();

        time.advance(Duration.ofSeconds(70));
        for (int i = 0; i < 10; i++) {
            m.onCall(Calls.llm(100));
        }
        Summary.CacheHitRate rate = m.summary().sentiment().cacheHitRate();

        assertThat(rate.baseline()).isEqualTo(0.5);
        assertThat(rate.baselineAnswers()).isEqualTo(30);
        assertThat(rate.total()).isZero();
    }

    @Test
    void should_summarise_the_digit_answers_with_their_uncertain_degraded_and_fallback_shares_and_live_accuracy() {
        Monitor m = new Monitor(MonitorSettings.defaults(), time.clock(), Map::of,
                () -> Summary.ClassifierStats.NONE, () -> Summary.SharedStateStats.NONE,
                () -> new Summary.DigitModel("v1", "below_held_out", 0.5, 0.982, 0.482, 40),
                () -> Map.of("digits v1 int8", "OPEN"));
        m.onCall(new io.bulwark.functions.http.FunctionCall("digits", 200, 10_000_000,
                new io.bulwark.functions.digits.DigitsFunction.Response(7, null, 0.99, Map.of(), "v1", "int8", false,
                        null, 10, "a"), "a"));
        m.onCall(new io.bulwark.functions.http.FunctionCall("digits", 200, 30_000_000,
                new io.bulwark.functions.digits.DigitsFunction.Response("uncertain", 3, 0.4, Map.of(), "v1", "fp32",
                        false, "int8 skipped: its circuit breaker is open; answered by fp32", 30, "b"), "b"));
        m.onCall(new io.bulwark.functions.http.FunctionCall("digits_batch", 200, 20_000_000,
                new io.bulwark.functions.digits.DigitsBatchFunction.Response("v1", "fp32", true, "fp32 failed;"
                        + " answered uncertain", java.util.List.of(
                        new io.bulwark.functions.digits.DigitsBatchFunction.Item(0, "uncertain", null, 0.0, Map.of(),
                                null),
                        new io.bulwark.functions.digits.DigitsBatchFunction.Item(1, null, null, null, null,
                                new io.bulwark.functions.http.ApiError("invalid_shape", "bad", "images[1].pixels"))),
                        2, 1, 20, "c"), "c"));
        m.onCall(new io.bulwark.functions.http.FunctionCall("digits", 400, 1_000_000, null, "d"));

        Summary s = m.summary();
        Summary.DigitStats d = s.digits();

        assertThat(d.requests()).isEqualTo(3);
        assertThat(d.digits()).isEqualTo(3);
        assertThat(d.latencyMs().p50()).isEqualTo(20);
        assertThat(d.uncertainRate()).isEqualTo(0.6667);
        assertThat(d.degradedRate()).isEqualTo(0.3333);
        assertThat(d.fallbackRate()).isEqualTo(0.6667);
        assertThat(d.variants()).isEqualTo(Map.of("int8", 1, "fp32", 2));
        assertThat(d.version()).isEqualTo("v1");
        assertThat(d.accuracy()).isEqualTo("below_held_out");
        assertThat(d.accuracyDrop()).isEqualTo(0.482);
        assertThat(d.feedback()).isEqualTo(40);
        assertThat(s.modelBreakers()).isEqualTo(Map.of("digits v1 int8", "OPEN"));
    }
}
