package io.bulwark.functions.monitoring;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertEvaluatorTest {

    final SimulatedTime time = new SimulatedTime();
    /** The cheap and the strong model's breakers, in tier order, as the chain reports them. */
    final Map<String, String> breakers = new LinkedHashMap<>();
    final Monitor monitor = new Monitor(new MonitorSettings(Duration.ofMinutes(5), 10_000, Duration.ofSeconds(10), 360),
            time.clock(), () -> breakers);
    final List<AlertEvent> told = new ArrayList<>();
    final AlertEvaluator alerts = new AlertEvaluator(List.copyOf(AlertRules.defaults().values()), monitor, time.clock(),
            List.of(told::add), 3);

    AlertEvaluatorTest() {
        breakers.put("gpt-4o-mini", "CLOSED");
        breakers.put("gpt-4o", "CLOSED");
    }

    void send(int n, java.util.function.Supplier<io.bulwark.functions.http.FunctionCall> call) {
        for (int i = 0; i < n; i++) {
            monitor.onCall(call.get());
        }
    }

    List<String> firing() {
        return alerts.alerts().firing().stream().map(AlertEvaluator.RuleState::rule).toList();
    }

    @Test
    void should_fire_high_latency_when_p95_passes_2000_ms_and_resolve_once_the_slow_requests_leave_the_window() {
        send(90, () -> Calls.llm(400));
        assertThat(alerts.evaluate()).isEmpty();

        send(10, () -> Calls.llm(2500));
        List<AlertEvent> events = alerts.evaluate();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("high-latency");
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.value()).isEqualTo(2500.0);
            assertThat(e.requests()).isEqualTo(100);
            assertThat(e.condition()).isEqualTo("latency_p95_ms(sentiment) > 2000");
        });
        assertThat(firing()).containsExactly("high-latency");
        assertThat(alerts.evaluate()).as("no new transition while it stays firing").isEmpty();

        time.advance(Duration.ofMinutes(5));
        send(20, () -> Calls.llm(300));
        assertThat(alerts.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("resolved");
            assertThat(e.message()).contains("latency_p95_ms <= 2000");
        });
        assertThat(firing()).isEmpty();
    }

    @Test
    void should_not_fire_before_a_rule_has_its_minimum_of_requests() {
        send(9, () -> Calls.llm(5000));
        assertThat(alerts.evaluate()).isEmpty();

        send(1, () -> Calls.llm(5000));
        assertThat(alerts.evaluate()).extracting(AlertEvent::rule).containsExactly("high-latency");
    }

    @Test
    void should_fire_when_more_than_5_percent_of_requests_fail() {
        send(95, () -> Calls.llm(100));
        send(5, () -> Calls.fallback("local_model"));
        assertThat(alerts.evaluate()).as("exactly 5% is not above 5%").isEmpty();

        send(1, () -> Calls.status("sentiment", 500, 3));

        assertThat(alerts.evaluate()).extracting(AlertEvent::rule).containsExactly("high-error-rate");
    }

    @Test
    void should_fire_prediction_log_failing_on_one_failed_append_and_resolve_once_it_leaves_the_window() {
        assertThat(alerts.evaluate()).isEmpty();

        monitor.onPredictionLogFailure();

        assertThat(alerts.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("prediction-log-failing");
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.value()).isEqualTo(1.0);
            assertThat(e.condition()).isEqualTo("prediction_log_failures(predict) > 0");
        });
        assertThat(monitor.summary().predictionLog().failures()).isEqualTo(1);

        time.advance(Duration.ofMinutes(5));
        assertThat(alerts.evaluate()).extracting(AlertEvent::rule, AlertEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("prediction-log-failing", "resolved"));
    }

    @Test
    void should_fire_shared_state_unavailable_while_redis_is_away_and_resolve_when_it_answers_again() {
        java.util.concurrent.atomic.AtomicBoolean redisAnswers = new java.util.concurrent.atomic.AtomicBoolean(true);
        Monitor fleet = new Monitor(MonitorSettings.defaults(), time.clock(), () -> breakers,
                () -> Summary.ClassifierStats.NONE, () -> new Summary.SharedStateStats(true, redisAnswers.get(), redisAnswers.get() ? 0 : 3));
        AlertEvaluator fleetAlerts = new AlertEvaluator(List.copyOf(AlertRules.defaults().values()), fleet,
                time.clock(), List.of(told::add), 10);
        fleetAlerts.evaluate();
        assertThat(fleetAlerts.alerts().firing()).isEmpty();

        redisAnswers.set(false);
        fleetAlerts.evaluate();
        assertThat(fleetAlerts.alerts().firing()).extracting(AlertEvaluator.RuleState::rule)
                .containsExactly("shared-state-unavailable");
        assertThat(fleet.summary().sharedState().failures()).isEqualTo(3);

        redisAnswers.set(true);
        fleetAlerts.evaluate();
        assertThat(fleetAlerts.alerts().firing()).isEmpty();
    }

    @Test
    void should_fire_when_the_mean_cost_per_request_passes_ten_cents() {
        send(10, () -> Calls.sentiment(500, "llm-strong", null, null, 0.11));

        assertThat(alerts.evaluate()).extracting(AlertEvent::rule).containsExactly("high-cost");
    }

    @Test
    void should_fire_while_the_breaker_is_open_even_without_traffic() {
        breakers.put("gpt-4o-mini", "OPEN");
        assertThat(alerts.evaluate()).extracting(AlertEvent::rule, AlertEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("breaker-open", "firing"));

        breakers.put("gpt-4o-mini", "HALF_OPEN");
        assertThat(alerts.evaluate()).isEmpty();
        breakers.put("gpt-4o-mini", "CLOSED");
        assertThat(alerts.evaluate()).extracting(AlertEvent::state).containsExactly("resolved");
    }

    @Test
    void should_fire_when_only_the_strong_models_breaker_opens_and_name_it() {
        breakers.put("gpt-4o", "OPEN");

        List<AlertEvent> events = alerts.evaluate();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("breaker-open");
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.value()).isEqualTo(1.0);
            assertThat(e.message()).isEqualTo("An LLM's circuit breaker is open: its answers come from the fallbacks"
                    + " (gpt-4o open; breaker_open = 1.0; rule: breaker_open(sentiment) > 0.5)");
        });
        assertThat(alerts.alerts().firing()).singleElement()
                .extracting(AlertEvaluator.RuleState::detail).isEqualTo("gpt-4o open");
    }

    @Test
    void should_keep_firing_while_any_breaker_is_open_and_say_which_in_the_rule_state() {
        breakers.put("gpt-4o", "OPEN");
        alerts.evaluate();

        breakers.put("gpt-4o-mini", "OPEN");
        assertThat(alerts.evaluate()).as("still the same outage: no new transition").isEmpty();
        assertThat(alerts.alerts().firing()).singleElement().extracting(AlertEvaluator.RuleState::detail)
                .isEqualTo("gpt-4o-mini open, gpt-4o open");

        breakers.put("gpt-4o", "CLOSED");
        assertThat(alerts.evaluate()).as("the cheap model's breaker is still open").isEmpty();
        assertThat(firing()).containsExactly("breaker-open");
        assertThat(alerts.alerts().firing()).singleElement().extracting(AlertEvaluator.RuleState::detail)
                .isEqualTo("gpt-4o-mini open");

        breakers.put("gpt-4o-mini", "CLOSED");
        assertThat(alerts.evaluate()).extracting(AlertEvent::rule, AlertEvent::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("breaker-open", "resolved"));
        assertThat(alerts.alerts().rules()).filteredOn(r -> r.rule().equals("breaker-open")).singleElement()
                .extracting(AlertEvaluator.RuleState::detail).isNull();
    }

    @Test
    void should_not_fire_the_breaker_alert_without_an_llm() {
        breakers.clear();

        assertThat(alerts.evaluate()).isEmpty();
        assertThat(alerts.alerts().rules()).filteredOn(r -> r.rule().equals("breaker-open")).singleElement()
                .extracting(AlertEvaluator.RuleState::value).isEqualTo(0.0);
    }

    @Test
    void should_fire_when_the_cache_hit_rate_falls_below_half_its_baseline() {
        send(30, Calls::exactHit);
        send(30, () -> Calls.llm(100));
        time.advance(Duration.ofMinutes(6));
        send(6, Calls::exactHit);
        send(18, () -> Calls.llm(100));
        assertThat(alerts.evaluate()).as("25% is not below half of 50%").isEmpty();

        send(1, () -> Calls.llm(100));

        assertThat(alerts.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("cache-hit-rate-collapse");
            assertThat(e.value()).isEqualTo(0.48); // 6/25 hits against a 0.5 baseline
        });
    }

    @Test
    void should_resolve_when_the_window_no_longer_has_enough_requests() {
        send(10, () -> Calls.llm(5000));
        alerts.evaluate();
        time.advance(Duration.ofMinutes(6));

        assertThat(alerts.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("resolved");
            assertThat(e.message()).contains("fewer than 10 requests");
        });
    }

    @Test
    void should_log_one_line_per_transition_and_tell_the_sinks() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(AlertEvaluator.class);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(logged);
        breakers.put("gpt-4o-mini", "OPEN");
        alerts.evaluate();
        alerts.evaluate();
        breakers.put("gpt-4o-mini", "CLOSED");
        alerts.evaluate();

        logger.detachAppender(logged);
        logger.setLevel(level);
        assertThat(logged.list).extracting(e -> e.getLevel().toString(), ILoggingEvent::getFormattedMessage).containsExactly(
                org.assertj.core.groups.Tuple.tuple("WARN", "ALERT firing breaker-open: An LLM's circuit breaker is open:"
                        + " its answers come from the fallbacks (gpt-4o-mini open; breaker_open = 1.0; rule:"
                        + " breaker_open(sentiment) > 0.5)"),
                org.assertj.core.groups.Tuple.tuple("INFO", "ALERT resolved breaker-open: resolved: back to breaker_open"
                        + " <= 0.5 (breaker_open = 0.0)"));
        assertThat(told).extracting(AlertEvent::state).containsExactly("firing", "resolved");
    }

    @Test
    void should_keep_a_bounded_history_newest_first_with_the_time_of_each_transition() {
        for (int i = 0; i < 3; i++) {
            breakers.put("gpt-4o-mini", "OPEN");
            alerts.evaluate();
            time.advance(Duration.ofSeconds(1));
            breakers.put("gpt-4o-mini", "CLOSED");
            alerts.evaluate();
            time.advance(Duration.ofSeconds(1));
        }

        List<AlertEvent> history = alerts.alerts().history();

        assertThat(history).hasSize(3);
        assertThat(history).extracting(AlertEvent::state).containsExactly("resolved", "firing", "resolved");
        assertThat(history.getFirst().at()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(alerts.alerts().rules()).extracting(AlertEvaluator.RuleState::rule).containsExactly("high-latency",
                "high-error-rate", "high-cost", "breaker-open", "cache-hit-rate-collapse", "prediction-log-failing",
                "drift", "accuracy-drop", "digits-accuracy-drop",
                "shared-state-unavailable");
    }

    @Test
    void should_refuse_two_rules_with_one_name() {
        AlertRule r = AlertRules.defaults().get("high-cost");
        assertThatThrownBy(() -> new AlertEvaluator(List.of(r, r), monitor, time.clock(), List.of(), 10))
                .hasMessageContaining("two alert rules are named high-cost");
    }

    @Test
    void should_fire_drift_while_the_serving_version_has_drifted_features_and_not_without_a_verdict() {
        java.util.concurrent.atomic.AtomicReference<Summary.ClassifierStats> stats = new java.util.concurrent.atomic
                .AtomicReference<>(new Summary.ClassifierStats("v1", "insufficient_data", 20, List.of(), "insufficient_feedback", null, 0));
        Monitor m = new Monitor(MonitorSettings.defaults(), time.clock(), Map::of, stats::get,
                () -> Summary.SharedStateStats.NONE);
        AlertEvaluator drift = new AlertEvaluator(List.of(AlertRules.defaults().get("drift")), m, time.clock(),
                List.of(), 10);
        assertThat(drift.evaluate()).isEmpty();

        stats.set(new Summary.ClassifierStats("v1", "drift", 200, List.of("body_mass_g"), "ok", 0.0, 40));
        assertThat(drift.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("firing");
            assertThat(e.value()).isEqualTo(1.0);
            assertThat(e.requests()).isEqualTo(200);
            assertThat(e.message()).contains("v1: body_mass_g");
        });

        stats.set(new Summary.ClassifierStats("v1", "no_drift", 200, List.of(), "ok", 0.0, 40));
        assertThat(drift.evaluate()).extracting(AlertEvent::state).containsExactly("resolved");
    }

    @Test
    void should_fire_accuracy_drop_past_the_margin_once_enough_feedback_came() {
        java.util.concurrent.atomic.AtomicReference<Summary.ClassifierStats> stats = new java.util.concurrent.atomic
                .AtomicReference<>(new Summary.ClassifierStats("v1", "no_drift", 200, List.of(), "insufficient_feedback",
                0.5, 10));
        Monitor m = new Monitor(MonitorSettings.defaults(), time.clock(), Map::of, stats::get,
                () -> Summary.SharedStateStats.NONE);
        AlertEvaluator accuracy = new AlertEvaluator(List.of(AlertRules.defaults(0.1, 30).get("accuracy-drop")), m,
                time.clock(), List.of(), 10);
        assertThat(accuracy.evaluate()).as("10 labels: fewer than the 30 the rule waits for").isEmpty();

        stats.set(new Summary.ClassifierStats("v1", "no_drift", 200, List.of(), "below_held_out", 0.15, 40));
        assertThat(accuracy.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.condition()).isEqualTo("accuracy_drop(predict) > 0.1");
            assertThat(e.value()).isEqualTo(0.15);
            assertThat(e.requests()).isEqualTo(40);
        });

        stats.set(new Summary.ClassifierStats("v1", "no_drift", 200, List.of(), "ok", 0.05, 40));
        assertThat(accuracy.evaluate()).extracting(AlertEvent::state).containsExactly("resolved");
    }

    @Test
    void should_fire_the_digit_accuracy_drop_on_the_digit_versions_figures_only() {
        java.util.concurrent.atomic.AtomicReference<Summary.DigitModel> digits = new java.util.concurrent.atomic
                .AtomicReference<>(new Summary.DigitModel("v1", "insufficient_feedback", 0.5, 0.982, null, 10));
        Monitor m = new Monitor(MonitorSettings.defaults(), time.clock(), Map::of,
                () -> new Summary.ClassifierStats("v3", "no_drift", 200, List.of(), "below_held_out", 0.4, 100),
                () -> Summary.SharedStateStats.NONE, digits::get, Map::of);
        AlertEvaluator evaluator = new AlertEvaluator(List.of(AlertRules.defaults(0.1, 30).get("digits-accuracy-drop")),
                m, time.clock(), List.of(), 10);
        assertThat(evaluator.evaluate()).as("the penguins' drop is not the digits'").isEmpty();

        digits.set(new Summary.DigitModel("v1", "below_held_out", 0.8, 0.982, 0.182, 40));
        assertThat(evaluator.evaluate()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("digits-accuracy-drop");
            assertThat(e.condition()).isEqualTo("accuracy_drop(digits) > 0.1");
            assertThat(e.value()).isEqualTo(0.182);
            assertThat(e.requests()).isEqualTo(40);
            assertThat(e.message()).contains("digits v1");
        });
    }
}
