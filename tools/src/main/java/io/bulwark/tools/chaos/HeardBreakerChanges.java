package io.bulwark.tools.chaos;

import io.bulwark.chaos.experiment.BreakerEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The breaker transitions an in-process target heard while a request ran (from the breakers' listener thread), handed
 * out tagged with that request once it is over. Thread-safe.
 */
final class HeardBreakerChanges {

    private record Heard(double atSeconds, String from, String to) {
    }

    private final List<Heard> pending = new ArrayList<>();

    /** Notes a transition heard {@code atSeconds} into the run. */
    synchronized void heard(double atSeconds, String from, String to) {
        pending.add(new Heard(atSeconds, from, to));
    }

    /** Returns the transitions heard since the last call, as events of {@code request}, and forgets them. */
    synchronized List<BreakerEvent> drain(int request) {
        List<BreakerEvent> events = pending.stream()
                .map(h -> new BreakerEvent(h.atSeconds(), request, h.from(), h.to())).toList();
        pending.clear();
        return events;
    }
}
