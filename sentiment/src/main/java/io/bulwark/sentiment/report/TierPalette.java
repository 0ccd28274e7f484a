package io.bulwark.sentiment.report;

import io.bulwark.resilience.Tier;

import java.util.Arrays;
import java.util.Map;

/**
 * The colour of each answer tier in the reports' charts, the same in the chaos and the cost-simulation report.
 * Five of Okabe and Ito's colour-blind-safe colours, picked so that every pair stays apart (CIELAB ΔE ≥ 24) in
 * normal vision and under simulated protanopia, deuteranopia and tritanopia; no two share a hue, so the cheap
 * and the strong LLM are not two shades of one colour. Black stays free for what is drawn beside the tiers.
 */
public final class TierPalette {

    private static final Map<Tier, String> COLOURS = Map.of(
            Tier.CACHE, "#56B4E9",       // sky blue
            Tier.LOCAL, "#D55E00",       // vermillion
            Tier.LLM_CHEAP, "#F0E442",   // yellow
            Tier.LLM_STRONG, "#0072B2",  // blue
            Tier.TEMPLATE, "#999999");   // grey: the template knows nothing

    private TierPalette() {
    }

    /** Returns the colour of {@code tier} as {@code #RRGGBB}. */
    public static String colour(Tier tier) {
        return COLOURS.get(tier);
    }

    /** Returns the colour of the tier whose {@link Tier#code()} is {@code code}. */
    public static String colour(String code) {
        return Arrays.stream(Tier.values()).filter(t -> t.code().equals(code)).findFirst().map(COLOURS::get)
                .orElseThrow(() -> new IllegalArgumentException("no tier has the code '" + code + "'"));
    }
}
