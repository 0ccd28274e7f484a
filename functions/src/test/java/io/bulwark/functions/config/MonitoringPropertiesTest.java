package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.AlertMetric;
import io.bulwark.functions.monitoring.AlertRule;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitoringPropertiesTest {

    static MonitoringProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("bulwark.monitoring", MonitoringProperties.class);
    }

    @Test
    void should_give_the_seed_defaults_and_the_prediction_log_rule_with_no_properties() {
        MonitoringProperties props = bind(Map.of());

        assertThat(props.rules()).extracting(AlertRule::condition).containsExactly(
                "latency_p95_ms(sentiment) > 2000", "error_rate(sentiment) > 0.05",
                "cost_per_request_usd(sentiment) > 0.1", "breaker_open(sentiment) > 0.5",
                "cache_hit_rate_vs_baseline(sentiment) < 0.5", "prediction_log_failures(predict) > 0",
                "drifted_features(predict) > 0", "accuracy_drop(predict) > 0.05", "accuracy_drop(digits) > 0.05",
                "shared_state_unavailable(sentiment) > 0.5");
        assertThat(props.settings().window()).hasMinutes(5);
        assertThat(props.evaluateEvery()).hasSeconds(5);
        assertThat(props.webhookUrl()).isNull();
    }

    @Test
    void should_change_one_field_of_a_default_rule_and_keep_the_others() {
        List<AlertRule> rules = bind(Map.of("bulwark.monitoring.alerts.high-latency.above", "1500",
                "bulwark.monitoring.alerts.high-cost.enabled", "false")).rules();

        assertThat(rules).extracting(AlertRule::name).doesNotContain("high-cost");
        assertThat(rules).filteredOn(r -> r.name().equals("high-latency")).singleElement().satisfies(r -> {
            assertThat(r.threshold()).isEqualTo(1500);
            assertThat(r.minRequests()).isEqualTo(10);
            assertThat(r.metric()).isEqualTo(AlertMetric.LATENCY_P95_MS);
        });
    }

    @Test
    void should_add_a_new_rule_for_another_function() {
        List<AlertRule> rules = bind(Map.of("bulwark.monitoring.alerts.slow-predict.metric", "latency-p99-ms",
                "bulwark.monitoring.alerts.slow-predict.function", "predict",
                "bulwark.monitoring.alerts.slow-predict.above", "50",
                "bulwark.monitoring.alerts.slow-predict.min-requests", "100")).rules();

        assertThat(rules.getLast()).isEqualTo(new AlertRule("slow-predict", AlertMetric.LATENCY_P99_MS, "predict", true,
                50, 100, "slow-predict: latency_p99_ms above 50.0"));
    }

    @Test
    void should_refuse_a_new_rule_without_metric_or_threshold_and_an_unknown_metric() {
        assertThatThrownBy(() -> bind(Map.of("bulwark.monitoring.alerts.mine.above", "1")).rules())
                .hasMessageContaining("alert rule mine is new: it needs metric and above or below");
        assertThatThrownBy(() -> bind(Map.of("bulwark.monitoring.alerts.mine.metric", "latency",
                "bulwark.monitoring.alerts.mine.above", "1")).rules())
                .hasMessageContaining("unknown alert metric 'latency'");
        assertThatThrownBy(() -> bind(Map.of("bulwark.monitoring.alerts.high-cost.above", "1",
                "bulwark.monitoring.alerts.high-cost.below", "2")).rules())
                .hasMessageContaining("give above or below, not both");
    }
}
