package io.bulwark.chaos.experiment;

/**
 * A circuit-breaker state change: when (seconds since the run started), during or after which request,
 * and between which states (CLOSED, OPEN, HALF_OPEN; over HTTP only CLOSED and OPEN, meaning not closed).
 */
public record BreakerEvent(double atSeconds, int request, String from, String to) {
}
