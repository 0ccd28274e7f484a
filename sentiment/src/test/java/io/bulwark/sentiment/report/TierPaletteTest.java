package io.bulwark.sentiment.report;

import io.bulwark.resilience.Tier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TierPaletteTest {

    /**
     * Colour-vision deficiencies as Machado, Oliveira and Fernandes (2009) simulate them at full severity, on
     * linear RGB.
     */
    private static final Map<String, double[][]> VISION = Map.of(
            "normal", new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
            "protanopia", new double[][]{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216},
                    {-0.003882, -0.048116, 1.051998}},
            "deuteranopia", new double[][]{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
                    {-0.011820, 0.042940, 0.968881}},
            "tritanopia", new double[][]{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602},
                    {0.004733, 0.691367, 0.303900}});

    /** Apart at a glance; the two greens the chaos report once gave llm-cheap and llm-strong were 13.6 apart. */
    private static final double APART = 20;

    @Test
    void should_keep_every_two_tiers_and_black_apart_in_normal_and_colour_blind_vision() {
        List<String> colours = new ArrayList<>();
        for (Tier t : Tier.values()) {
            colours.add(TierPalette.colour(t));
        }
        colours.add("#000000");

        VISION.forEach((vision, m) -> {
            for (int i = 0; i < colours.size(); i++) {
                for (int j = i + 1; j < colours.size(); j++) {
                    assertThat(deltaE(lab(colours.get(i), m), lab(colours.get(j), m)))
                            .as("%s vs %s in %s", colours.get(i), colours.get(j), vision).isGreaterThan(APART);
                }
            }
        });
    }

    @Test
    void should_count_the_two_greens_the_chaos_report_had_as_too_close() {
        assertThat(deltaE(lab("#2e7d32", VISION.get("normal")), lab("#1b5e20", VISION.get("normal"))))
                .as("the yardstick itself: llm-cheap and llm-strong before").isLessThan(APART);
    }

    @Test
    void should_find_a_tier_by_its_code_and_refuse_an_unknown_one() {
        assertThat(TierPalette.colour("llm-cheap")).isEqualTo(TierPalette.colour(Tier.LLM_CHEAP));
        assertThatThrownBy(() -> TierPalette.colour("leaked")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'leaked'");
    }

    /** CIE76 colour difference. */
    private static double deltaE(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    /** CIELAB (D65) of {@code hex} as seen through {@code vision}. */
    private static double[] lab(String hex, double[][] vision) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double[] lin = {linear(rgb >> 16), linear((rgb >> 8) & 0xff), linear(rgb & 0xff)};
        double[] c = new double[3];
        for (int r = 0; r < 3; r++) {
            c[r] = Math.clamp(vision[r][0] * lin[0] + vision[r][1] * lin[1] + vision[r][2] * lin[2], 0, 1);
        }
        double x = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047;
        double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        double z = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883;
        return new double[]{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
    }
}
