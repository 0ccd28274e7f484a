package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.AlertEvaluator;
import io.bulwark.functions.monitoring.AlertMetric;
import io.bulwark.functions.monitoring.AlertRule;
import io.bulwark.functions.monitoring.AlertRules;
import io.bulwark.functions.monitoring.MonitorSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code bulwark.monitoring.*} settings: the window, the time series, the alert rules and the webhook.
 *
 * Descriptions as in {@link BulwarkProperties}: plain text, the configuration metadata's.
 *
 * @param window         the sliding window of /metrics/summary and of the alert rules
 * @param maxSamples     the most requests the window keeps
 * @param bucket         the width of one point of the dashboard's charts
 * @param buckets        how many points the charts keep
 * @param evaluateEvery  how often the alert rules are evaluated
 * @param historySize    how many alert transitions /alerts keeps
 * @param webhookUrl     where alert transitions are posted as JSON; unset: nowhere
 * @param webhookTimeout the webhook's connect and request time-out
 * @param alerts         alert rules by name, bulwark.monitoring.alerts.NAME.KEY; a default rule's keys can be changed
 *                       one by one, a new rule needs metric and above or below; keys: metric, function, above, below,
 *                       min-requests, description, enabled
 */
@ConfigurationProperties("bulwark.monitoring")
public record MonitoringProperties(Duration window, Integer maxSamples, Duration bucket, Integer buckets,
                                   @DefaultValue("5s") Duration evaluateEvery, Integer historySize,
                                   URI webhookUrl, @DefaultValue("2s") Duration webhookTimeout,
                                   Map<String, Rule> alerts) {

    public MonitoringProperties {
        window = window != null ? window : MonitorSettings.DEFAULT_WINDOW;
        maxSamples = maxSamples != null ? maxSamples : MonitorSettings.DEFAULT_MAX_SAMPLES;
        bucket = bucket != null ? bucket : MonitorSettings.DEFAULT_BUCKET;
        buckets = buckets != null ? buckets : MonitorSettings.DEFAULT_BUCKETS;
        historySize = historySize != null ? historySize : AlertEvaluator.DEFAULT_HISTORY_SIZE;
        if (evaluateEvery.toMillis() < 10) {
            throw new IllegalArgumentException("bulwark.monitoring.evaluate-every must be at least 10ms: " + evaluateEvery);
        }
        alerts = alerts == null ? Map.of() : alerts;
    }

    /**
     * One rule's properties; each left out keeps the default rule's value. A new rule needs {@code metric} and
     * {@code above} or {@code below}.
     *
     * @param metric      what the rule watches, e.g. latency-p95-ms, latency-p99-ms, error-rate, cost-per-request-usd
     *                    (AlertMetric's codes)
     * @param function    the function whose requests it watches (latency and error rate); a new rule: sentiment
     * @param above       fires while the value is above this limit
     * @param below       fires while the value is below this limit (give above or below, not both)
     * @param minRequests the least requests the value must rest on before the rule can fire; a new rule: 10
     * @param description what the alert means, for people
     * @param enabled     false drops the rule
     */
    public record Rule(String metric, String function, Double above, Double below, Integer minRequests,
                       String description, @DefaultValue("true") boolean enabled) {
    }

    MonitorSettings settings() {
        return new MonitorSettings(window, maxSamples, bucket, buckets);
    }

    /** Returns the default rules with the configured changes applied, and the new ones after them. */
    List<AlertRule> rules() {
        return rules(AlertRules.defaults());
    }

    /** Returns {@code defaults} with the configured changes applied, and the new rules after them. */
    List<AlertRule> rules(Map<String, AlertRule> defaults) {
        Map<String, AlertRule> rules = new LinkedHashMap<>(defaults);
        alerts.forEach((name, r) -> {
            AlertRule base = rules.get(name);
            if (!r.enabled()) {
                rules.remove(name);
                return;
            }
            if (r.above() != null && r.below() != null) {
                throw new IllegalArgumentException("alert rule " + name + ": give above or below, not both");
            }
            if (base == null && (r.metric() == null || (r.above() == null && r.below() == null))) {
                throw new IllegalArgumentException("alert rule " + name + " is new: it needs metric and above or below"
                        + " (bulwark.monitoring.alerts." + name + ".metric=..., .above=...)");
            }
            AlertMetric metric = r.metric() != null ? AlertMetric.parse(r.metric()) : base.metric();
            boolean above = r.above() != null || (r.below() == null && base.above());
            double threshold = r.above() != null ? r.above() : r.below() != null ? r.below() : base.threshold();
            rules.put(name, new AlertRule(name, metric,
                    r.function() != null ? r.function() : base != null ? base.function() : "sentiment", above, threshold,
                    r.minRequests() != null ? r.minRequests() : base != null ? base.minRequests() : 10,
                    r.description() != null ? r.description() : base != null ? base.description()
                            : name + ": " + metric.code() + (above ? " above " : " below ") + threshold));
        });
        return new ArrayList<>(rules.values());
    }

    int historyOrDefault() {
        return historySize > 0 ? historySize : AlertEvaluator.DEFAULT_HISTORY_SIZE;
    }
}
