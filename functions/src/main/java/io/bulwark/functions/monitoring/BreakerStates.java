package io.bulwark.functions.monitoring;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How monitoring reads the LLM circuit breakers' states by model ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN},
 * as the sentiment chain reports them): the worst of them, and the names of those not closed. Any breaker not
 * closed counts as open: with two models, one open breaker is an outage of that model even while the other answers.
 */
public final class BreakerStates {

    public static final String CLOSED = "CLOSED";
    public static final String OPEN = "OPEN";

    private BreakerStates() {
    }

    /**
     * Returns the worst state of {@code states}: {@code OPEN} if one is open, else the first other state that is
     * not closed (half-open), else {@code CLOSED}; null when there is no breaker (no LLM).
     */
    public static String worst(Map<String, String> states) {
        String worst = null;
        for (String state : states.values()) {
            if (OPEN.equals(state)) {
                return OPEN;
            }
            if (worst == null || CLOSED.equals(worst) && !CLOSED.equals(state)) {
                worst = state;
            }
        }
        return worst;
    }

    /** Returns true when at least one breaker is not closed. */
    public static boolean anyNotClosed(Map<String, String> states) {
        return states.values().stream().anyMatch(s -> !CLOSED.equals(s));
    }

    /** Returns the breakers not closed, for people, e.g. {@code gpt-4o open, gpt-4o-mini half-open}; empty if none. */
    static String notClosed(Map<String, String> states) {
        return states.entrySet().stream().filter(e -> !CLOSED.equals(e.getValue()))
                .map(e -> e.getKey() + " " + spoken(e.getValue())).collect(Collectors.joining(", "));
    }

    /** Returns {@code half-open} for {@code HALF_OPEN}. */
    static String spoken(String state) {
        return state.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
