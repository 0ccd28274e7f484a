package io.bulwark.functions.monitoring;

import java.util.Objects;

/**
 * A condition on one metric of the window, e.g. "p95 latency of sentiment above 2,000 ms, once it rests on 10
 * requests". Built from the {@code bulwark.monitoring.alerts.<name>.*} properties over {@link AlertRules#defaults()}.
 *
 * @param name        the rule's name, as in the properties and the alert history
 * @param metric      what it watches
 * @param function    the function whose requests it watches (latency and error rate; the others are sentiment's)
 * @param above       true: fires while the value is above {@code threshold}; false: while below
 * @param threshold   the limit
 * @param minRequests the least requests the value must rest on; with fewer, the rule is not firing
 * @param description what the alert means, for people
 */
public record AlertRule(String name, AlertMetric metric, String function, boolean above, double threshold,
                        int minRequests, String description) {

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("an alert rule name is lower-case words joined by '-': " + name);
        }
        if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("alert rule " + name + ": the threshold must be a number: " + threshold);
        }
        if (minRequests < 0) {
            throw new IllegalArgumentException("alert rule " + name + ": min-requests must be 0 or more: " + minRequests);
        }
    }

    /** Returns true when {@code value} breaks the rule. */
    boolean breaks(double value) {
        return above ? value > threshold : value < threshold;
    }

    /** Returns e.g. {@code latency_p95_ms(sentiment) > 2000}. */
    public String condition() {
        return metric.code() + "(" + function + ") " + (above ? ">" : "<") + " " + plain(threshold);
    }

    /** Returns {@code 2000} for 2000.0 and {@code 0.05} for 0.05. */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
