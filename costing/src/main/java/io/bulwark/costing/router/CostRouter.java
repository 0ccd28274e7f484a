package io.bulwark.costing.router;

import io.bulwark.costing.DailyBudget;
import io.bulwark.resilience.Tier;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cost router: picks the first-choice tier of each query, cheapest that is good enough, and says why.
 *
 * <p>Rules are tried in order; the first whose condition holds decides, and without one the default tier
 * decides. Then two guards apply that no rule can bypass:
 * <ol>
 *   <li>the budget: when today's budget is {@link DailyBudget.State#EXHAUSTED} the query goes to the local
 *       model (reason {@code budget_exhausted}); when it is {@link DailyBudget.State#LOW} a strong-model
 *       decision becomes the cheap model (reason {@code budget_low}). The router never refuses a query.</li>
 *   <li>availability: a tier without a model (no strong model configured, say) becomes the nearest
 *       cheaper tier that has one, else the nearest pricier one.</li>
 * </ol>
 * Every decision is counted by tier and reason ({@link #decisions()}). Thread-safe.
 */
public final class CostRouter {

    /** A routing decision: the tier to try first and why. */
    public record Decision(Tier tier, String reason, QueryFeatures features) {
    }

    private final List<RoutingRule> rules;
    private final Tier defaultTier;
    private final Set<Tier> available;
    private final ComplexityEstimator estimator;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private CostRouter(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.defaultTier = b.defaultTier;
        this.available = Set.copyOf(b.available);
        this.estimator = b.estimator;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default rules: {@code local_confident} (no negation, contrast or sarcasm cue and the local
     * model at least {@code localConfidence} sure → local), {@code complex} (complexity at least
     * {@code strongComplexity} → strong); everything else goes to the cheap model ({@code default}).
     */
    public static List<RoutingRule> defaultRules(RouterConfig config) {
        return List.of(
                new RoutingRule("local_confident",
                        f -> !f.hasMarkers() && f.localConfidence() >= config.localConfidence(), Tier.LOCAL,
                        String.format(Locale.ROOT, "no negation/contrast/sarcasm cue and local confidence ≥ %.2f → local",
                                config.localConfidence())),
                new RoutingRule("complex", f -> f.complexity() >= config.strongComplexity(), Tier.LLM_STRONG,
                        String.format(Locale.ROOT, "complexity ≥ %.2f → llm-strong", config.strongComplexity())));
    }

    /** Decides where {@code text} is answered first, given today's budget state. */
    public Decision decide(String text, DailyBudget.State budget) {
        QueryFeatures f = estimator.features(text, budget);
        Tier tier = defaultTier;
        String reason = "default";
        for (RoutingRule rule : rules) {
            if (rule.condition().test(f)) {
                tier = rule.action();
                reason = rule.name();
                break;
            }
        }
        if (budget == DailyBudget.State.EXHAUSTED && tier != Tier.LOCAL) {
            tier = Tier.LOCAL;
            reason = "budget_exhausted";
        } else if (budget == DailyBudget.State.LOW && tier == Tier.LLM_STRONG) {
            tier = Tier.LLM_CHEAP;
            reason = "budget_low";
        }
        Tier usable = nearestAvailable(tier);
        if (usable != tier) {
            reason = reason + "_" + tier.code().replace("llm-", "") + "_unavailable";
            tier = usable;
        }
        counts.computeIfAbsent(tier.code() + "|" + reason, k -> new LongAdder()).increment();
        return new Decision(tier, reason, f);
    }

    private Tier nearestAvailable(Tier wanted) {
        if (available.contains(wanted)) {
            return wanted;
        }
        for (int i = wanted.ordinal() - 1; i >= Tier.LOCAL.ordinal(); i--) {
            if (available.contains(Tier.values()[i])) {
                return Tier.values()[i];
            }
        }
        for (int i = wanted.ordinal() + 1; i <= Tier.LLM_STRONG.ordinal(); i++) {
            if (available.contains(Tier.values()[i])) {
                return Tier.values()[i];
            }
        }
        return Tier.LOCAL;
    }

    /** Returns the decisions so far, keyed {@code tier|reason}, e.g. {@code local|local_confident}. */
    public Map<String, Long> decisions() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Returns the tiers this router may choose. */
    public Set<Tier> available() {
        return available;
    }

    /** Returns the rules, one per line, in the order they are tried, then the guards. */
    public String describe() {
        StringBuilder sb = new StringBuilder("CostRouter(first match wins; tiers ");
        sb.append(available.stream().sorted().map(Tier::code).toList()).append(")\n");
        int i = 1;
        for (RoutingRule r : rules) {
            sb.append("    ").append(i++).append(". ").append(r.name()).append(": ").append(r.description()).append('\n');
        }
        sb.append("    ").append(i).append(". default → ").append(defaultTier.code()).append('\n');
        sb.append("    then: budget exhausted → local; budget low → llm-strong becomes llm-cheap;"
                + " a tier without a model → the nearest one with a model");
        return sb.toString();
    }

    /** Builds a {@link CostRouter}; each setting is checked at once and may be given only once. */
    public static final class Builder {
        private final List<RoutingRule> rules = new ArrayList<>();
        private Tier defaultTier;
        private Set<Tier> available;
        private ComplexityEstimator estimator;

        private Builder() {
        }

        /** Appends a rule; rules are tried in the order added. */
        public Builder rule(RoutingRule rule) {
            Objects.requireNonNull(rule, "rule");
            if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
                throw new IllegalArgumentException("a rule named " + rule.name() + " was already added");
            }
            rules.add(rule);
            return this;
        }

        /** Appends rules. */
        public Builder rules(List<RoutingRule> rules) {
            rules.forEach(this::rule);
            return this;
        }

        /** Sets the tier of queries no rule matches (default {@link Tier#LLM_CHEAP}). */
        public Builder defaultTier(Tier tier) {
            if (defaultTier != null) {
                throw new IllegalStateException("defaultTier was already set");
            }
            if (tier != Tier.LOCAL && tier != Tier.LLM_CHEAP && tier != Tier.LLM_STRONG) {
                throw new IllegalArgumentException("the default tier is local, llm-cheap or llm-strong, not " + tier);
            }
            this.defaultTier = tier;
            return this;
        }

        /** Sets the tiers that have a model. The local tier is always available. */
        public Builder available(Set<Tier> tiers) {
            if (available != null) {
                throw new IllegalStateException("available was already set");
            }
            EnumSet<Tier> set = EnumSet.of(Tier.LOCAL);
            for (Tier t : tiers) {
                if (t == Tier.CACHE || t == Tier.TEMPLATE) {
                    throw new IllegalArgumentException("only local and LLM tiers are routed to, not " + t.code());
                }
                set.add(t);
            }
            this.available = set;
            return this;
        }

        /** Sets the complexity estimator (required). */
        public Builder estimator(ComplexityEstimator estimator) {
            if (this.estimator != null) {
                throw new IllegalStateException("estimator was already set");
            }
            this.estimator = Objects.requireNonNull(estimator, "estimator");
            return this;
        }

        public CostRouter build() {
            if (estimator == null) {
                throw new IllegalStateException("an estimator is required");
            }
            if (defaultTier == null) {
                defaultTier = Tier.LLM_CHEAP;
            }
            if (available == null) {
                available = EnumSet.allOf(Tier.class);
                available.remove(Tier.CACHE);
                available.remove(Tier.TEMPLATE);
            }
            return new CostRouter(this);
        }
    }
}
