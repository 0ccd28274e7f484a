package io.bulwark.costing.router;

import io.bulwark.resilience.Tier;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One rule of the cost router, the workshop's {@code add_rule(condition, action)}: when {@code condition}
 * holds for a query, answer it from {@code action}. {@code name} is the reason recorded with the decision.
 */
public record RoutingRule(String name, Predicate<QueryFeatures> condition, Tier action, String description) {

    public RoutingRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a rule name is snake_case (it becomes a metric tag): " + name);
        }
        if (action == Tier.CACHE || action == Tier.TEMPLATE) {
            throw new IllegalArgumentException("a rule routes to local, llm-cheap or llm-strong, not " + action.code());
        }
    }
}
