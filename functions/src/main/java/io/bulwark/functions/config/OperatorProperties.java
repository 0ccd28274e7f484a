package io.bulwark.functions.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bulwark.operator.*} settings: who may open the local runner's operator pages.
 *
 * Descriptions as in {@link BulwarkProperties}: plain text, the configuration metadata's.
 *
 * @param requireToken whether the operator pages (/dashboard, /metrics/*, /alerts and the actuator but its health)
 *                     need the admin token (a bearer, X-Admin-Token, or the password of HTTP Basic for a browser);
 *                     false opens them to anyone who reaches the port
 */
@ConfigurationProperties("bulwark.operator")
public record OperatorProperties(@DefaultValue("true") boolean requireToken) {
}
