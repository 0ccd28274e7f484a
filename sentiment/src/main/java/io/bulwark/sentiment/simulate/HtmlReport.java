package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link SimulationReport} as one self-contained HTML page (inline CSS and SVG charts, nothing
 * fetched): monthly cost per strategy on a log scale against the $2,000 target, the share of each tier, and
 * quality retained against 95%, then the same tables as the Markdown report.
 */
public final class HtmlReport {

    private static final Map<Tier, String> COLOURS = Map.of(Tier.CACHE, "#2b8a3e", Tier.LOCAL, "#74b816",
            Tier.LLM_CHEAP, "#1c7ed6", Tier.LLM_STRONG, "#862e9c", Tier.TEMPLATE, "#868e96");
    private static final int WIDTH = 760;
    private static final int LABEL = 190;
    private static final int ROW = 28;

    private HtmlReport() {
    }

    public static String render(SimulationReport r) {
        Scenario s = r.scenario();
        List<StrategyResult> results = r.results();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cost simulation: ")
                .append(esc(s.name())).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#212529}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #dee2e6;padding:4px 8px}")
                .append("td.n{text-align:right}th{background:#f1f3f5}pre{background:#f8f9fa;padding:1em;overflow:auto}")
                .append("svg text{font:12px system-ui,sans-serif}.ok{color:#2b8a3e;font-weight:bold}.no{color:#c92a2a}")
                .append("</style></head><body>\n");
        h.append("<h1>Cost simulation: ").append(esc(s.name())).append("</h1>\n");
        h.append("<p>").append(esc(s.description().strip())).append("</p>\n");
        h.append(String.format(Locale.ROOT, "<p>%,d requests a day, %d-day month (%,d requests). Sample: %,d requests per "
                        + "strategy, seed %d. Prices: %s. Quality: agreement with <code>%s</code>.</p>%n",
                s.traffic().requestsPerDay(), s.daysPerMonth(), s.monthlyRequests(), s.sample(), s.seed(),
                esc(r.prices().toString()), esc(s.reference())));
        h.append("<h2>Baseline by the calculator</h2><pre>");
        r.baseline().arithmetic().forEach(line -> h.append(esc(line)).append('\n'));
        h.append("</pre>\n");

        h.append("<h2>Monthly cost (log scale)</h2>\n").append(costChart(results, r.baseline().totalUsd()));
        h.append("<h2>Who answered</h2>\n").append(tierChart(results));
        h.append("<h2>Quality retained</h2>\n").append(qualityChart(results));

        h.append("<h2>Strategies side by side</h2>\n<table><tr><th>strategy</th><th>monthly cost</th>"
                + "<th>per 1,000 requests</th><th>quality retained</th><th>exact-cache hits</th><th>semantic-cache hits</th>"
                + "<th>local</th><th>llm-cheap</th><th>llm-strong</th><th>template</th><th>p50</th><th>p95</th>"
                + "<th>&lt; $2,000 and ≥ 95%</th><th>&lt; $0.01 / 1,000</th></tr>\n");
        for (StrategyResult x : r.results()) {
            boolean month = x.monthlyUsd() < MarkdownReport.MONTHLY_TARGET_USD && x.quality() >= MarkdownReport.QUALITY_TARGET;
            boolean stretch = x.per1000Usd() < MarkdownReport.STRETCH_PER_1000_USD && x.quality() >= MarkdownReport.QUALITY_TARGET;
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=n>$%,.2f</td><td class=n>$%.4f</td>"
                            + "<td class=n>%.1f%%</td><td class=n>%.1f%%</td><td class=n>%.1f%%</td><td class=n>%.1f%%</td>"
                            + "<td class=n>%.1f%%</td><td class=n>%.1f%%</td><td class=n>%.1f%%</td><td class=n>%.0f ms</td>"
                            + "<td class=n>%.0f ms</td><td class=%s>%s</td><td class=%s>%s</td></tr>%n",
                    esc(x.strategy().name()), x.monthlyUsd(), x.per1000Usd(), 100 * x.quality(),
                    100.0 * x.exactHits() / x.requests(), 100.0 * x.semanticHits() / x.requests(),
                    100 * x.share(Tier.LOCAL), 100 * x.share(Tier.LLM_CHEAP), 100 * x.share(Tier.LLM_STRONG),
                    100 * x.share(Tier.TEMPLATE), x.p50Ms(), x.p95Ms(), month ? "ok" : "no", month ? "yes" : "no",
                    stretch ? "ok" : "no", stretch ? "yes" : "no"));
        }
        h.append("</table>\n");

        for (StrategyResult x : r.results()) {
            h.append("<h3>").append(esc(x.strategy().name())).append("</h3>\n<p>")
                    .append(esc(MarkdownReport.settings(x.strategy()))).append("</p>\n");
            h.append("<table><tr><th>tier</th><th>answers</th><th>share</th><th>monthly cost</th><th>quality retained</th></tr>\n");
            for (Tier t : MarkdownReport.TIERS) {
                long count = x.answersByTier().getOrDefault(t, 0L);
                if (count == 0) {
                    continue;
                }
                double c = x.costByTier().getOrDefault(t, 0.0);
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=n>%,d</td><td class=n>%.1f%%</td>"
                                + "<td class=n>$%,.2f</td><td class=n>%.1f%%</td></tr>%n", t.code(), count,
                        100.0 * count / x.requests(), c / x.requests() * s.monthlyRequests(),
                        100 * x.qualityByTier().getOrDefault(t, 0.0)));
            }
            h.append("</table>\n");
            if (!x.routerDecisions().isEmpty()) {
                h.append("<p>Router decisions: ").append(esc(x.routerDecisions().toString())).append("</p>\n");
            }
            h.append("<p>Fallbacks: ").append(esc(x.fallbacks().isEmpty() ? "none" : x.fallbacks().toString()))
                    .append("; degraded answers: ").append(x.degraded()).append("</p>\n");
            h.append("<details><summary>Chain</summary><pre>").append(esc(x.chain())).append("</pre></details>\n");
        }
        h.append("<p>The simulated models' accuracies are scenario inputs, not measurements; the local model is the "
                + "real one.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String costChart(List<StrategyResult> ran, double baseline) {
        double max = Math.max(baseline, ran.stream().mapToDouble(StrategyResult::monthlyUsd).max().orElse(1));
        double lo = 0.1;
        double logMax = Math.log10(max * 1.5);
        double logLo = Math.log10(lo);
        int plot = WIDTH - LABEL - 90;
        int height = ROW * (ran.size() + 1) + 30;
        StringBuilder svg = new StringBuilder(svgOpen(height));
        for (int decade = (int) Math.ceil(logLo); decade <= logMax; decade++) {
            double x = LABEL + plot * (decade - logLo) / (logMax - logLo);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e9ecef\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">$%s</text>", x, x, height - 20, x, height - 5,
                    decade < 0 ? String.format(Locale.ROOT, "%.1f", Math.pow(10, decade))
                            : String.format(Locale.ROOT, "%,.0f", Math.pow(10, decade))));
        }
        int y = 10;
        for (StrategyResult x : ran) {
            double v = Math.max(lo, x.monthlyUsd());
            double w = plot * (Math.log10(v) - logLo) / (logMax - logLo);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">$%,.0f</text>", LABEL - 6, y + 17, esc(x.strategy().name()),
                    LABEL, y + 4, w, ROW - 8, x.monthlyUsd() < MarkdownReport.MONTHLY_TARGET_USD ? "#2b8a3e" : "#e8590c",
                    LABEL + w + 4, y + 17, x.monthlyUsd()));
            y += ROW;
        }
        double target = LABEL + plot * (Math.log10(MarkdownReport.MONTHLY_TARGET_USD) - logLo) / (logMax - logLo);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"6\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c92a2a\" "
                + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#c92a2a\">target $2,000</text>",
                target, target, y, target + 4, y + 12));
        return svg.append("</svg>\n").toString();
    }

    private static String tierChart(List<StrategyResult> ran) {
        int plot = WIDTH - LABEL - 20;
        int height = ROW * ran.size() + 40;
        StringBuilder svg = new StringBuilder(svgOpen(height));
        int y = 10;
        for (StrategyResult x : ran) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LABEL - 6,
                    y + 17, esc(x.strategy().name())));
            double left = LABEL;
            for (Tier t : MarkdownReport.TIERS) {
                double w = plot * x.share(t);
                if (w > 0) {
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                            + "fill=\"%s\"><title>%s %.1f%%</title></rect>", left, y + 4, w, ROW - 8, COLOURS.get(t),
                            t.code(), 100 * x.share(t)));
                    left += w;
                }
            }
            y += ROW;
        }
        int lx = LABEL;
        for (Tier t : MarkdownReport.TIERS) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", lx, y + 6, COLOURS.get(t), lx + 16, y + 16, t.code()));
            lx += 100;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String qualityChart(List<StrategyResult> ran) {
        int plot = WIDTH - LABEL - 70;
        double from = 0.80;
        int height = ROW * ran.size() + 30;
        StringBuilder svg = new StringBuilder(svgOpen(height));
        int y = 10;
        for (StrategyResult x : ran) {
            double w = plot * Math.max(0, x.quality() - from) / (1 - from);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%.1f%%</text>", LABEL - 6, y + 17, esc(x.strategy().name()),
                    LABEL, y + 4, w, ROW - 8, x.quality() >= MarkdownReport.QUALITY_TARGET ? "#2b8a3e" : "#e8590c",
                    LABEL + w + 4, y + 17, 100 * x.quality()));
            y += ROW;
        }
        double target = LABEL + plot * (MarkdownReport.QUALITY_TARGET - from) / (1 - from);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"6\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c92a2a\" "
                + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#c92a2a\">95%% (axis from 80%%)</text>",
                target, target, y, target + 4, y + 12));
        return svg.append("</svg>\n").toString();
    }

    private static String svgOpen(int height) {
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\">", WIDTH, height, WIDTH, height);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
