package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * A transition of an alert rule: it started firing, or it resolved.
 *
 * @param state     {@code firing} or {@code resolved}
 * @param value     the metric's value when it happened (null when it had no value, e.g. no baseline)
 * @param requests  the requests the value rested on (null for the breaker)
 * @param message   one line for people and logs
 */
@JsonPropertyOrder({"at", "rule", "state", "condition", "value", "requests", "message"})
public record AlertEvent(Instant at, String rule, String state, String condition, Double value, Integer requests,
                         String message) {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
}
