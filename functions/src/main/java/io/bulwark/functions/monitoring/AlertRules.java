package io.bulwark.functions.monitoring;

import io.bulwark.models.feedback.FeedbackSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default alert rules: the seed's three (p95 latency over 2 s, error rate over 5 %, cost per request over
 * $0.10), two of the error boundary's (breaker open, cache hit rate collapsed to less than half its baseline),
 * one of the prediction log's (an append failed in the window), two of the classifier's (its served inputs
 * drifted from its training features; its live accuracy fell below its held-out accuracy), the same accuracy rule
 * for the digit recogniser ({@code digits-accuracy-drop}) and one of the fleet's shared state (Redis away).
 */
public final class AlertRules {

    public static final double DEFAULT_LATENCY_P95_MS = 2000;
    public static final double DEFAULT_ERROR_RATE = 0.05;
    public static final double DEFAULT_COST_PER_REQUEST_USD = 0.10;
    public static final double DEFAULT_CACHE_COLLAPSE_RATIO = 0.5;

    private AlertRules() {
    }

    /** Returns the default rules by name, in a fixed order, with the default accuracy-alert margin. */
    public static Map<String, AlertRule> defaults() {
        return defaults(FeedbackSettings.DEFAULT_ALERT_MARGIN, FeedbackSettings.DEFAULT_MIN_FEEDBACK);
    }

    /**
     * Returns the default rules by name, in a fixed order.
     *
     * @param accuracyMargin how far below its held-out accuracy the serving version's live accuracy may fall
     *                       ({@code bulwark.classifier.accuracy-alert-margin})
     * @param minFeedback    feedback labels the accuracy-drop rule waits for
     */
    public static Map<String, AlertRule> defaults(double accuracyMargin, int minFeedback) {
        Map<String, AlertRule> rules = new LinkedHashMap<>();
        for (AlertRule r : List.of(
                new AlertRule("high-latency", AlertMetric.LATENCY_P95_MS, Sample.SENTIMENT, true,
                        DEFAULT_LATENCY_P95_MS, 10, "High latency detected: p95 above the limit"),
                new AlertRule("high-error-rate", AlertMetric.ERROR_RATE, Sample.SENTIMENT, true, DEFAULT_ERROR_RATE,
                        20, "Error rate above the limit: requests failed or needed a fallback"),
                new AlertRule("high-cost", AlertMetric.COST_PER_REQUEST_USD, Sample.SENTIMENT, true,
                        DEFAULT_COST_PER_REQUEST_USD, 10, "Cost per request too high"),
                new AlertRule("breaker-open", AlertMetric.BREAKER_OPEN, Sample.SENTIMENT, true, 0.5, 0,
                        "An LLM's circuit breaker is open: its answers come from the fallbacks"),
                new AlertRule("cache-hit-rate-collapse", AlertMetric.CACHE_HIT_RATE_VS_BASELINE, Sample.SENTIMENT,
                        false, DEFAULT_CACHE_COLLAPSE_RATIO, 20,
                        "Cache hit rate collapsed to less than half of what it was before the window"),
                new AlertRule("prediction-log-failing", AlertMetric.PREDICTION_LOG_FAILURES, "predict", true, 0, 0,
                        "Appends to the prediction log are failing (disk full or unwritable): answers go unrecorded,"
                                + " or are refused with 503 when bulwark.prediction-log.required is set"),
                // The drift window has its own minimum (bulwark.classifier.drift.min-window): below it there is no value.
                new AlertRule("drift", AlertMetric.DRIFTED_FEATURES, "predict", true, 0, 0,
                        "The inputs the serving classifier version answers drifted from its training data (GET /drift):"
                                + " its held-out figures may no longer hold"),
                new AlertRule("accuracy-drop", AlertMetric.ACCURACY_DROP, "predict", true, accuracyMargin, minFeedback,
                        "The serving classifier version's live accuracy on feedback labels fell below its held-out"
                                + " accuracy by more than the margin (GET /accuracy)"),
                new AlertRule("digits-accuracy-drop", AlertMetric.ACCURACY_DROP, AlertMetric.DIGITS, true,
                        accuracyMargin, minFeedback, "The promoted digit version's live accuracy on feedback labels fell"
                                + " below its held-out accuracy by more than the margin (GET /accuracy?model=digits)"),
                new AlertRule("shared-state-unavailable", AlertMetric.SHARED_STATE_UNAVAILABLE, Sample.SENTIMENT,
                        true, 0.5, 0, "The fleet's shared state (Redis) does not answer: budget, rate limits, caches"
                        + " and breakers decide from this instance's own state until it does"))) {
            rules.put(r.name(), r);
        }
        return rules;
    }
}
