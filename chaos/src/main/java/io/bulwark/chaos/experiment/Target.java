package io.bulwark.chaos.experiment;

import java.util.List;

/**
 * What a chaos run drives: the sentiment function, in-process or over HTTP. A target keeps its own time
 * (simulated or real), measured from the start of the run.
 */
public interface Target extends AutoCloseable {

    /** Sends one request with {@code text} and returns what came back, never throwing. */
    Reply send(String text);

    /** Returns the time since the run started, in seconds. */
    double now();

    /**
     * Lets the request due {@code seconds} after the start arrive: waits until then in real time (at once if
     * later), or sets simulated time to it.
     */
    void waitUntil(double seconds);

    /** Returns the circuit-breaker state changes seen since the last call, tagged with {@code request}. */
    List<BreakerEvent> breakerChanges(int request);

    /** Returns how the target is driven, for the report, e.g. {@code in-process, simulated time}. */
    String mode();

    @Override
    void close();
}
