package io.bulwark.functions.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Evaluates the alert rules against the monitor's window and keeps what happened: each rule is firing or not,
 * and every transition goes into a bounded history, one log line, and the sinks (a webhook). A rule whose value
 * rests on fewer requests than it needs is not firing (as in Prometheus, no data resolves an alert).
 * Call {@link #evaluate()} on a schedule; time comes from the injected {@link Clock}.
 */
public final class AlertEvaluator {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

    /** The default number of transitions kept. */
    public static final int DEFAULT_HISTORY_SIZE = 500;

    /** What {@code GET /alerts} answers: the rules with their state, those firing, and the history, newest first. */
    @JsonPropertyOrder({"evaluated_at", "firing", "rules", "history"})
    public record Alerts(@com.fasterxml.jackson.annotation.JsonProperty("evaluated_at") Instant evaluatedAt,
                         List<RuleState> firing, List<RuleState> rules, List<AlertEvent> history) {
    }

    /**
     * A rule and its current state.
     *
     * @param detail what the value is made of at the last evaluation, e.g. the breakers not closed
     *               ({@code gpt-4o open}); null when the value says it all
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"rule", "condition", "state", "since", "value", "requests", "detail", "description"})
    public record RuleState(String rule, String condition, String state, Instant since, Double value, Integer requests,
                            String detail, String description) {
    }

    private final List<AlertRule> rules;
    private final Monitor monitor;
    private final Clock clock;
    private final List<AlertSink> sinks;
    private final int historySize;
    private final Map<String, RuleState> states = new LinkedHashMap<>();
    private final ArrayDeque<AlertEvent> history = new ArrayDeque<>();
    private Instant evaluatedAt;

    public AlertEvaluator(List<AlertRule> rules, Monitor monitor, Clock clock, List<AlertSink> sinks, int historySize) {
        this.rules = List.copyOf(rules);
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sinks = List.copyOf(sinks);
        if (historySize < 1) {
            throw new IllegalArgumentException("the alert history must keep at least 1 entry: " + historySize);
        }
        this.historySize = historySize;
        for (AlertRule r : this.rules) {
            if (states.put(r.name(), new RuleState(r.name(), r.condition(), AlertEvent.RESOLVED, null, null, null,
                    null, r.description())) != null) {
                throw new IllegalArgumentException("two alert rules are named " + r.name());
            }
        }
    }

    /** Returns the rules. */
    public List<AlertRule> rules() {
        return rules;
    }

    /** Evaluates every rule now; returns the transitions this evaluation made. */
    public List<AlertEvent> evaluate() {
        Summary summary = monitor.summary();
        List<AlertEvent> events = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            evaluatedAt = now;
            for (AlertRule rule : rules) {
                OptionalDouble value = rule.metric().value(summary, rule.function());
                int requests = rule.metric().requests(summary, rule.function());
                boolean enough = requests >= rule.minRequests();
                boolean firing = value.isPresent() && enough && rule.breaks(value.getAsDouble());
                Double v = value.isPresent() ? Stats.round(value.getAsDouble()) : null;
                Integer n = requests == Integer.MAX_VALUE ? null : requests;
                String detail = rule.metric().detail(summary, rule.function());
                RuleState before = states.get(rule.name());
                boolean was = AlertEvent.FIRING.equals(before.state());
                String state = firing ? AlertEvent.FIRING : AlertEvent.RESOLVED;
                Instant since = firing == was ? before.since() : now;
                states.put(rule.name(), new RuleState(rule.name(), rule.condition(), state, since, v, n, detail,
                        rule.description()));
                if (firing != was) {
                    AlertEvent e = new AlertEvent(now, rule.name(), state, rule.condition(), v, n,
                            message(rule, firing, v, n, enough, detail));
                    events.add(e);
                    history.addFirst(e);
                    while (history.size() > historySize) {
                        history.removeLast();
                    }
                }
            }
        }
        for (AlertEvent e : events) {
            if (AlertEvent.FIRING.equals(e.state())) {
                log.warn("ALERT {} {}: {}", e.state(), e.rule(), e.message());
            } else {
                log.info("ALERT {} {}: {}", e.state(), e.rule(), e.message());
            }
            for (AlertSink sink : sinks) {
                sink.accept(e);
            }
        }
        return events;
    }

    /** Returns the rules' states, those firing, and the history, newest first. */
    public synchronized Alerts alerts() {
        List<RuleState> all = List.copyOf(states.values());
        List<RuleState> firing = all.stream().filter(s -> AlertEvent.FIRING.equals(s.state())).toList();
        return new Alerts(evaluatedAt, firing, all, List.copyOf(history));
    }

    private static String message(AlertRule rule, boolean firing, Double value, Integer requests, boolean enough,
                                  String detail) {
        String measured = value == null ? "no value" : rule.metric().code() + " = " + format(value)
                + (requests == null ? "" : " over " + requests + " requests");
        if (firing) {
            return rule.description() + " (" + (detail == null ? "" : detail + "; ") + measured + "; rule: "
                    + rule.condition() + ")";
        }
        String why = !enough ? "fewer than " + rule.minRequests() + " requests in the window"
                : value == null ? "no value" : "back to " + rule.metric().code() + " "
                + (rule.above() ? "<=" : ">=") + " " + AlertRule.plain(rule.threshold());
        return "resolved: " + why + " (" + measured + ")";
    }

    private static String format(double v) {
        return Math.abs(v) >= 1 || v == 0 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
