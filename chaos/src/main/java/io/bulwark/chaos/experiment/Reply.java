package io.bulwark.chaos.experiment;

import java.time.Duration;
import java.util.Objects;

/**
 * What one request got back: the HTTP status and body, the latency the caller saw, and the class of an
 * exception that escaped (null when none did; then status and body are meaningless).
 */
public record Reply(int status, byte[] body, Duration latency, String exception) {

    public Reply {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(latency, "latency");
    }

    /** Returns a reply for an exception that escaped the target. */
    public static Reply escaped(Throwable thrown, Duration latency) {
        return new Reply(0, new byte[0], latency, thrown.getClass().getName());
    }
}
