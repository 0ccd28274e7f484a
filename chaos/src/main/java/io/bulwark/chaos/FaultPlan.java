package io.bulwark.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What goes wrong, how often and when: the latency of ordinary answers and an ordered list of rules,
 * each a {@link Schedule} with faults and their probabilities. For each call the rules are tried in
 * order; the first active rule whose draw falls on a fault decides the call. Immutable; decisions are made
 * by a seeded {@link FaultInjector}.
 *
 * <pre>{@code
 * FaultPlan.builder()
 *     .baseLatency(Latency.logNormal(Duration.ofMillis(250), 0.4))
 *     .during(Schedule.always()).inject(0.3, Fault.rateLimit(MILLIS, ofMillis(300))).inject(0.2, Fault.hang(ofSeconds(5)))
 *     .during(Schedule.window(0.3, 0.6)).inject(1.0, Fault.serverError(503))
 *     .build();
 * }</pre>
 */
public final class FaultPlan {

    /** Default latency of an ordinary answer: a cheap model on a good day. */
    public static final Latency DEFAULT_BASE_LATENCY = Latency.NONE;

    /** A fault and the probability that an active rule picks it. */
    public record Weighted(double probability, Fault fault) {
        public Weighted {
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability must be within (0, 1]: " + probability);
            }
            Objects.requireNonNull(fault, "fault");
        }
    }

    /** Faults that apply while {@code schedule} is active; their probabilities add up to at most 1. */
    public record Rule(Schedule schedule, List<Weighted> faults) {
        public Rule {
            Objects.requireNonNull(schedule, "schedule");
            faults = List.copyOf(faults);
            if (faults.isEmpty()) {
                throw new IllegalArgumentException("a rule needs at least one fault");
            }
            double sum = faults.stream().mapToDouble(Weighted::probability).sum();
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException("fault probabilities of a rule add up to " + sum + " > 1");
            }
        }
    }

    private final Latency baseLatency;
    private final List<Rule> rules;

    private FaultPlan(Latency baseLatency, List<Rule> rules) {
        this.baseLatency = baseLatency;
        this.rules = List.copyOf(rules);
    }

    /** Returns a plan without faults and without added latency. */
    public static FaultPlan none() {
        return new FaultPlan(DEFAULT_BASE_LATENCY, List.of());
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the latency of ordinary answers. */
    public Latency baseLatency() {
        return baseLatency;
    }

    /** Returns the rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /** Returns one line per rule, for reports. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("answers after " + baseLatency.describe());
        for (Rule r : rules) {
            StringBuilder sb = new StringBuilder(r.schedule().describe()).append(": ");
            for (int i = 0; i < r.faults().size(); i++) {
                Weighted w = r.faults().get(i);
                sb.append(i == 0 ? "" : ", ").append(Math.round(w.probability() * 1000) / 10.0).append("% ")
                        .append(w.fault().code());
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /**
     * Builds a {@link FaultPlan}. Each setting is checked at once; the base latency may be set only once;
     * {@link #inject} adds to the rule begun by the last {@link #during}.
     */
    public static final class Builder {
        private Latency baseLatency;
        private final List<Rule> rules = new ArrayList<>();
        private Schedule schedule;
        private final List<Weighted> current = new ArrayList<>();

        private Builder() {
        }

        /** Sets the latency of ordinary answers (default none). */
        public Builder baseLatency(Latency latency) {
            if (baseLatency != null) {
                throw new IllegalStateException("baseLatency was already set");
            }
            baseLatency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Begins a rule active on {@code schedule}. */
        public Builder during(Schedule schedule) {
            closeRule();
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** Adds {@code fault} with {@code probability} to the current rule. */
        public Builder inject(double probability, Fault fault) {
            if (schedule == null) {
                throw new IllegalStateException("call during(schedule) before inject");
            }
            current.add(new Weighted(probability, fault));
            double sum = current.stream().mapToDouble(Weighted::probability).sum();
            if (sum > 1 + 1e-9) {
                throw new IllegalArgumentException("fault probabilities of a rule add up to " + sum + " > 1");
            }
            return this;
        }

        /** Returns the plan. */
        public FaultPlan build() {
            closeRule();
            return new FaultPlan(baseLatency == null ? DEFAULT_BASE_LATENCY : baseLatency, rules);
        }

        private void closeRule() {
            if (schedule != null) {
                rules.add(new Rule(schedule, current));
                current.clear();
                schedule = null;
            }
        }
    }
}
