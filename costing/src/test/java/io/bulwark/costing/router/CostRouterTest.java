package io.bulwark.costing.router;

import io.bulwark.costing.DailyBudget;
import io.bulwark.resilience.Tier;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostRouterTest {

    /** A stand-in local model: sure about "great" and "awful", a coin flip otherwise. */
    private static final ComplexityEstimator ESTIMATOR = new ComplexityEstimator(text -> {
        String t = text.toLowerCase();
        return t.contains("great") ? 0.97 : t.contains("awful") ? 0.03 : 0.55;
    });

    private final CostRouter router = CostRouter.builder()
            .rules(CostRouter.defaultRules(new RouterConfig(0.9, 0.5)))
            .estimator(ESTIMATOR)
            .build();

    @Test
    void should_answer_locally_when_the_local_model_is_sure_and_the_text_has_no_cues() {
        CostRouter.Decision d = router.decide("A great phone.", DailyBudget.State.OK);
        assertThat(d.tier()).isEqualTo(Tier.LOCAL);
        assertThat(d.reason()).isEqualTo("local_confident");
    }

    @Test
    void should_not_trust_the_local_model_with_a_contrast_even_when_it_is_sure() {
        CostRouter.Decision d = router.decide("Great screen, but the battery died in a day.", DailyBudget.State.OK);
        assertThat(d.features().contrast()).isTrue();
        assertThat(d.tier()).isNotEqualTo(Tier.LOCAL);
    }

    @Test
    void should_send_an_unsure_text_with_sarcasm_to_the_strong_model() {
        CostRouter.Decision unsure = router.decide("Yeah right, this one works fine.", DailyBudget.State.OK);
        // uncertainty 0.9 × 0.5 + sarcasm 0.4 = 0.85 ≥ 0.5
        assertThat(unsure.features().complexity()).isGreaterThanOrEqualTo(0.5);
        assertThat(unsure.tier()).isEqualTo(Tier.LLM_STRONG);
        assertThat(unsure.reason()).isEqualTo("complex");
    }

    @Test
    void should_send_a_sarcastic_text_the_local_model_is_sure_about_to_the_cheap_model() {
        // confidence 0.97: uncertainty 0.06 × 0.5 + sarcasm 0.4 = 0.43 < 0.5; the cue keeps it off the local model
        CostRouter.Decision d = router.decide("Oh great, it broke again. Just what I needed.", DailyBudget.State.OK);
        assertThat(d.features().sarcasm()).isTrue();
        assertThat(d.features().complexity()).isCloseTo(0.43, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(d.tier()).isEqualTo(Tier.LLM_CHEAP);
    }

    @Test
    void should_send_everything_else_to_the_cheap_model() {
        // uncertainty 0.9 × 0.5 = 0.45 < 0.5, no cue
        CostRouter.Decision d = router.decide("It arrived on Tuesday.", DailyBudget.State.OK);
        assertThat(d.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(d.reason()).isEqualTo("default");
    }

    @Test
    void should_route_strong_decisions_to_the_cheap_model_when_the_budget_is_low() {
        CostRouter.Decision d = router.decide("Yeah right, this one works fine.", DailyBudget.State.LOW);
        assertThat(d.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(d.reason()).isEqualTo("budget_low");
    }

    @Test
    void should_route_every_query_to_the_local_model_when_the_budget_is_spent_rather_than_fail() {
        assertThat(router.decide("Yeah right, this one works fine.", DailyBudget.State.EXHAUSTED))
                .extracting(CostRouter.Decision::tier, CostRouter.Decision::reason)
                .containsExactly(Tier.LOCAL, "budget_exhausted");
        assertThat(router.decide("It arrived on Tuesday.", DailyBudget.State.EXHAUSTED).tier()).isEqualTo(Tier.LOCAL);
    }

    @Test
    void should_use_the_nearest_cheaper_tier_that_has_a_model_and_say_so() {
        CostRouter noStrong = CostRouter.builder()
                .rules(CostRouter.defaultRules(RouterConfig.defaults()))
                .available(EnumSet.of(Tier.LLM_CHEAP))
                .estimator(ESTIMATOR)
                .build();
        CostRouter.Decision d = noStrong.decide("Yeah right, this one works fine.", DailyBudget.State.OK);
        assertThat(d.tier()).isEqualTo(Tier.LLM_CHEAP);
        assertThat(d.reason()).isEqualTo("complex_strong_unavailable");
    }

    @Test
    void should_apply_a_users_rule_before_the_defaults_and_count_decisions_by_tier_and_reason() {
        CostRouter custom = CostRouter.builder()
                .rule(new RoutingRule("long_text", f -> f.words() > 5, Tier.LLM_STRONG, "more than 5 words → strong"))
                .rules(CostRouter.defaultRules(RouterConfig.defaults()))
                .estimator(ESTIMATOR)
                .build();

        custom.decide("A great phone, truly great, really.", DailyBudget.State.OK);
        custom.decide("A great phone.", DailyBudget.State.OK);

        assertThat(custom.decisions()).isEqualTo(Map.of("llm-strong|long_text", 1L, "local|local_confident", 1L));
        assertThat(custom.describe()).contains("1. long_text: more than 5 words → strong");
    }

    @Test
    void should_refuse_a_rule_routing_to_the_cache_and_a_duplicate_rule_name() {
        assertThatThrownBy(() -> new RoutingRule("x", f -> true, Tier.CACHE, "")).isInstanceOf(IllegalArgumentException.class);
        RoutingRule r = new RoutingRule("x", f -> true, Tier.LOCAL, "");
        assertThatThrownBy(() -> CostRouter.builder().rule(r).rule(r)).hasMessageContaining("already added");
    }

    @Test
    void should_find_negation_contrast_and_sarcasm_cues() {
        QueryFeatures f = ESTIMATOR.features("I don't like it, although the colour is nice. Yeah right.",
                DailyBudget.State.OK);
        assertThat(f.markers()).isEqualTo("negation+contrast+sarcasm");
        assertThat(ESTIMATOR.features("Nice colour.", DailyBudget.State.OK).hasMarkers()).isFalse();
    }
}
