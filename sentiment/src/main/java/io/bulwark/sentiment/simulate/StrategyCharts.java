package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.report.Charts;
import io.bulwark.sentiment.report.TierPalette;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.bulwark.sentiment.report.Charts.esc;

/**
 * The simulation report's charts, one bar per strategy: monthly cost on a log scale, the share of each tier,
 * accuracy on labelled truth. Each has a legend for its colours and tick labels on its axis, and fills the page's width
 * ({@link Charts}). Every strategy is labelled with its name from the scenario and, under it, what it runs
 * ({@link #summary}): a name such as "+ router" can read as adding to the strategy before it, where the label
 * says that it has no cache.
 */
final class StrategyCharts {

    /** The charts' width in their own coordinates; on the page they scale to the container. */
    private static final int WIDTH = 800;
    private static final int LEFT = 8;
    private static final int BAR = 14;
    /** Under the last row: the tick labels. */
    private static final int AXIS = 26;
    private static final String MEETS = "#009E73";
    private static final String MISSES = "#D55E00";
    private static final String TARGET = "#c92a2a";
    private static final String GRID = "#dee2e6";
    private static final String TOKENS = "#0072B2";
    private static final String PLATFORM = "#E69F00";
    /** Keeps a label legible where it crosses a grid or target line. */
    private static final String HALO = " paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\"";

    private StrategyCharts() {
    }

    static String cost(List<StrategyResult> ran, double baseline) {
        double max = Math.max(baseline, ran.stream().mapToDouble(StrategyResult::monthlyUsd).max().orElse(1));
        double lo = 0.1;
        double logMax = Math.log10(max * 1.5);
        double logLo = Math.log10(lo);
        int plot = WIDTH - LEFT - 90;
        Rows rows = new Rows(ran);
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, rows.height(), "monthly cost per strategy, log scale"));
        for (int decade = (int) Math.ceil(logLo); decade <= logMax; decade++) {
            tick(svg, LEFT + plot * (decade - logLo) / (logMax - logLo), rows.axis(), "$" + (decade < 0
                    ? String.format(Locale.ROOT, "%.1f", Math.pow(10, decade))
                    : String.format(Locale.ROOT, "%,.0f", Math.pow(10, decade))));
        }
        target(svg, LEFT + plot * (Math.log10(MarkdownReport.MONTHLY_TARGET_USD) - logLo) / (logMax - logLo), rows.axis());
        for (int i = 0; i < ran.size(); i++) {
            StrategyResult x = ran.get(i);
            double w = plot * (Math.log10(Math.max(lo, x.monthlyUsd())) - logLo) / (logMax - logLo);
            bar(svg, rows, i, w, x.monthlyUsd() < MarkdownReport.MONTHLY_TARGET_USD ? MEETS : MISSES,
                    String.format(Locale.ROOT, "$%,.0f", x.monthlyUsd()));
        }
        String target = String.format(Locale.ROOT, "$%,.0f", MarkdownReport.MONTHLY_TARGET_USD);
        return Charts.figure("Log scale: each strategy's month (tokens and platform), extrapolated from its sample.", List.of(
                new Charts.Key("under " + target + " a month", MEETS, Charts.Mark.BOX),
                new Charts.Key(target + " or more", MISSES, Charts.Mark.BOX),
                new Charts.Key("target: " + target + " a month", TARGET, Charts.Mark.DASHED)),
                svg.append("</svg>\n").toString());
    }

    /**
     * The same months on a linear scale, each bar split into tokens and platform: what the log scale hides (the
     * baseline dwarfs everything) and what it cannot show (the parts of a total).
     */
    static String costLinear(List<StrategyResult> ran) {
        double max = Math.max(MarkdownReport.MONTHLY_TARGET_USD,
                ran.stream().mapToDouble(StrategyResult::monthlyUsd).max().orElse(1));
        double step = niceStep(max / 5);
        double top = Math.ceil(max / step) * step;
        int plot = WIDTH - LEFT - 90;
        Rows rows = new Rows(ran);
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, rows.height(),
                "monthly cost per strategy, linear scale, tokens and platform"));
        for (double v = 0; v <= top + step / 2; v += step) {
            tick(svg, LEFT + plot * v / top, rows.axis(), String.format(Locale.ROOT, "$%,.0f", v));
        }
        target(svg, LEFT + plot * MarkdownReport.MONTHLY_TARGET_USD / top, rows.axis());
        for (int i = 0; i < ran.size(); i++) {
            StrategyResult x = ran.get(i);
            rows.label(svg, i);
            int y = rows.bar(i);
            double wt = plot * x.tokenMonthlyUsd() / top;
            double wp = plot * x.platformMonthlyUsd() / top;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>tokens $%,.2f</title></rect>", LEFT, y, wt, BAR, TOKENS, x.tokenMonthlyUsd()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>platform $%,.2f</title></rect>", LEFT + wt, y, wp, BAR, PLATFORM, x.platformMonthlyUsd()));
            String value = String.format(Locale.ROOT, "$%,.0f ($%,.0f tokens + $%,.0f platform)", x.monthlyUsd(),
                    x.tokenMonthlyUsd(), x.platformMonthlyUsd());
            // About 6.5 units a character at 12 px: a label that would run off the chart goes inside its bar.
            boolean inside = LEFT + wt + wp + 4 + 6.5 * value.length() > WIDTH;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\"%s%s>%s</text>",
                    inside ? LEFT + wt + wp - 4 : LEFT + wt + wp + 4, y + BAR - 2,
                    inside ? " text-anchor=\"end\" fill=\"#fff\"" : "", inside ? "" : HALO, esc(value)));
        }
        String target = String.format(Locale.ROOT, "$%,.0f", MarkdownReport.MONTHLY_TARGET_USD);
        return Charts.figure("Linear scale: each strategy's month, tokens and platform.", List.of(
                new Charts.Key("tokens", TOKENS, Charts.Mark.BOX),
                new Charts.Key("platform (function time, requests, gateway)", PLATFORM, Charts.Mark.BOX),
                new Charts.Key("target: " + target + " a month", TARGET, Charts.Mark.DASHED)),
                svg.append("</svg>\n").toString());
    }

    /** 1, 2 or 5 × a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String tiers(List<StrategyResult> ran) {
        int plot = WIDTH - LEFT - 24;
        Rows rows = new Rows(ran);
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, rows.height(), "share of answers by tier per strategy"));
        for (int pct = 0; pct <= 100; pct += 25) {
            tick(svg, LEFT + plot * pct / 100.0, rows.axis(), pct + "%");
        }
        for (int i = 0; i < ran.size(); i++) {
            StrategyResult x = ran.get(i);
            rows.label(svg, i);
            double left = LEFT;
            int y = rows.bar(i);
            for (Tier t : MarkdownReport.TIERS) {
                double w = plot * x.share(t);
                if (w <= 0) {
                    continue;
                }
                String colour = TierPalette.colour(t);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"%s\"><title>%s %.1f%%</title></rect>", left, y, w, BAR, colour, t.code(), 100 * x.share(t)));
                if (w >= 36) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
                                    + "text-anchor=\"middle\" fill=\"%s\">%.0f%%</text>", left + w / 2, y + BAR - 3,
                            dark(colour) ? "#fff" : "#212529", 100 * x.share(t)));
                }
                left += w;
            }
        }
        List<Charts.Key> legend = new ArrayList<>();
        MarkdownReport.TIERS.forEach(t -> legend.add(new Charts.Key(t.code(), TierPalette.colour(t), Charts.Mark.BOX)));
        return Charts.figure("Share of each strategy's answers by the tier that gave them.", legend,
                svg.append("</svg>\n").toString());
    }

    static String quality(List<StrategyResult> ran, String reference) {
        int plot = WIDTH - LEFT - 70;
        double from = 0.80;
        Rows rows = new Rows(ran);
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, rows.height(), "quality retained per strategy"));
        for (int pct = 80; pct <= 100; pct += 5) {
            tick(svg, LEFT + plot * (pct / 100.0 - from) / (1 - from), rows.axis(), pct + "%");
        }
        target(svg, LEFT + plot * (MarkdownReport.QUALITY_TARGET - from) / (1 - from), rows.axis());
        for (int i = 0; i < ran.size(); i++) {
            StrategyResult x = ran.get(i);
            bar(svg, rows, i, plot * Math.max(0, x.accuracy() - from) / (1 - from),
                    x.accuracy() >= MarkdownReport.QUALITY_TARGET ? MEETS : MISSES,
                    String.format(Locale.ROOT, "%.1f%%", 100 * x.accuracy()));
        }
        String target = String.format(Locale.ROOT, "%.0f%%", 100 * MarkdownReport.QUALITY_TARGET);
        return Charts.figure(String.format(Locale.ROOT, "Share of answers that give the sentence's own label; %s alone "
                + "on the same requests: %.1f%%. The axis starts at %.0f%%.", reference,
                100 * (ran.isEmpty() ? Double.NaN : ran.getFirst().referenceAccuracy()), 100 * from), List.of(
                new Charts.Key(target + " or more accurate", MEETS, Charts.Mark.BOX),
                new Charts.Key("below " + target, MISSES, Charts.Mark.BOX),
                new Charts.Key("target: " + target + " accurate", TARGET, Charts.Mark.DASHED)),
                svg.append("</svg>\n").toString());
    }

    /**
     * What a strategy runs, in a few words, from its settings in the scenario: where a request goes first, the
     * caches, the answers' length and the budget.
     */
    static String summary(Scenario.Strategy st) {
        List<String> parts = new ArrayList<>();
        if (st.router()) {
            String routes = String.format(Locale.ROOT, "router: local model if confident ≥ %.2f", st.localConfidence());
            if (st.cheap() != null && st.strong() != null) {
                routes += String.format(Locale.ROOT, ", %s if complexity ≥ %.2f", st.strong(), st.strongComplexity());
            }
            parts.add(routes + ", else " + (st.cheap() != null ? st.cheap() : st.strong()));
        } else {
            parts.add("every request to " + (st.cheap() != null ? st.cheap() : st.strong()));
        }
        parts.add(st.exactCache() && st.semanticCache() ? "exact + semantic cache"
                : st.exactCache() ? "exact cache" : st.semanticCache() ? "semantic cache" : "no cache");
        parts.add(st.shortOutput() ? "short answers" : "free-form answers");
        if (st.budget()) {
            parts.add("daily budget");
        }
        return String.join(" · ", parts);
    }

    /**
     * The rows of a chart, one per strategy: its name, what it runs (wrapped at {@link #LINE} characters), its
     * bar; then the axis.
     */
    private static final class Rows {
        static final int LINE = 90;
        static final int TOP = 6;
        private final List<StrategyResult> ran;
        private final List<List<String>> lines = new ArrayList<>();
        private final int[] y;

        Rows(List<StrategyResult> ran) {
            this.ran = ran;
            this.y = new int[ran.size() + 1];
            y[0] = TOP;
            for (int i = 0; i < ran.size(); i++) {
                lines.add(wrap(summary(ran.get(i).strategy())));
                y[i + 1] = bar(i) + BAR + 10;
            }
        }

        int axis() {
            return y[ran.size()];
        }

        int height() {
            return axis() + AXIS;
        }

        int bar(int i) {
            return y[i] + 20 + 15 * lines.get(i).size();
        }

        void label(StringBuilder svg, int i) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"600\"%s>%s</text>",
                    LEFT, y[i] + 14, HALO, esc(ran.get(i).strategy().name())));
            for (int k = 0; k < lines.get(i).size(); k++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11.5\" fill=\"#495057\"%s>%s</text>",
                        LEFT, y[i] + 29 + 15 * k, HALO, esc(lines.get(i).get(k))));
            }
        }

        /** One line if it fits; else where a request goes on a line of its own, then the rest. */
        private static List<String> wrap(String summary) {
            if (summary.length() <= LINE) {
                return List.of(summary);
            }
            List<String> out = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            String[] parts = summary.split(" · ");
            for (int p = 0; p < parts.length; p++) {
                String part = parts[p];
                if (!line.isEmpty() && (p == 1 || line.length() + 3 + part.length() > LINE)) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "" : " · ").append(part);
            }
            out.add(line.toString());
            return out;
        }
    }

    /** Row {@code i}'s labels, a bar {@code w} wide, and its value after it. */
    private static void bar(StringBuilder svg, Rows rows, int i, double w, String colour, String value) {
        rows.label(svg, i);
        int y = rows.bar(i);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\"%s>%s</text>", LEFT, y, w, BAR, colour, LEFT + w + 4,
                y + BAR - 2, HALO, esc(value)));
    }

    /** A grid line at {@code x} down to the axis, and its tick label under the axis. */
    private static void tick(StringBuilder svg, double x, int axis, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>"
                        + "<text class=\"tick\" x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
                x, Rows.TOP, x, axis + 4, GRID, Math.max(x, LEFT + 10), axis + 18, esc(label)));
    }

    /** The target: a dashed line at {@code x}, named in the legend. */
    private static void target(StringBuilder svg, double x, int axis) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>", x, Rows.TOP, x, axis + 4, TARGET));
    }

    /** Whether white text reads better than dark on {@code colour} ({@code #RRGGBB}). */
    private static boolean dark(String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        double luma = 0.2126 * (rgb >> 16) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
        return luma < 128;
    }
}
