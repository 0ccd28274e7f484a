package io.bulwark.resilience;

import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.TimedOut;

import java.time.Duration;
import java.util.Objects;

/**
 * After a time-out, tries once more on a cheaper (or the same cheap) route that carries a shorter
 * time limit of its own. The answer is degraded only if it comes from a lower tier than asked for.
 */
public final class TimeoutFallback<Q, V> implements Fallback<Q, V> {

    public static final String NAME = "timeout";

    private final Route<Q, V> cheaper;
    private final Duration room;

    /** @param cheaper the route to try, already decorated with its shorter time limit and breaker */
    public TimeoutFallback(Route<Q, V> cheaper) {
        this(cheaper, Duration.ZERO);
    }

    /**
     * @param cheaper the route to try, already decorated with its shorter time limit and breaker
     * @param room    the least the deadline must still leave for the retry to be made (a call worth making plus the
     *                reserve); with less, the time-out passes on to the next fallback without a call. A retry with
     *                next to no time left cannot answer, and its certain time-out would count against the breaker
     *                (a latency profile whose LLM time limit is close to the deadline met that on every hang).
     */
    public TimeoutFallback(Route<Q, V> cheaper, Duration room) {
        this.cheaper = Objects.requireNonNull(cheaper, "cheaper");
        Objects.requireNonNull(room, "room");
        if (room.isNegative()) {
            throw new IllegalArgumentException("room must not be negative: " + room);
        }
        this.room = room;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(BoundaryFailure failure) {
        return failure instanceof TimedOut;
    }

    @Override
    public Outcome<V> recover(Q request, Route<Q, V> primary, BoundaryFailure failure, Deadline deadline) {
        if (!room.isZero() && deadline.remaining().compareTo(room) <= 0) {
            throw failure;
        }
        Outcome<V> o = cheaper.answer(request, deadline);
        boolean degraded = cheaper.tier().ordinal() < primary.tier().ordinal();
        return new Outcome<>(o.value(), o.tier(), o.model(), NAME, degraded);
    }

    @Override
    public String describe() {
        return "TimeoutFallback(retry once on " + cheaper.describe() + ")";
    }
}
