package io.bulwark.chaos.report;

import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Observation;
import io.bulwark.chaos.experiment.Percentiles;
import io.bulwark.chaos.experiment.RunResult;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.sentiment.report.Charts;
import io.bulwark.sentiment.report.TierPalette;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.bulwark.sentiment.report.Charts.esc;

/**
 * Renders a chaos report as one self-contained HTML page (inline CSS and SVG, nothing fetched): the table,
 * and per scenario a chart of latency over time (p50, p95 and max of the requests arriving in each time
 * slice, fault windows shaded, the deadline and breaker transitions marked) and a chart of answers by tier over
 * time. The charts fill the page's width ({@link Charts}); their titles and legends are HTML, so they wrap
 * rather than being clipped.
 */
public final class HtmlReport {

    static final int BINS = 120;
    /** The charts' width in their own coordinates; on the page they scale to the container. */
    static final int WIDTH = 800;
    /** Room left of the plot for the value ticks, up to five digits and a unit. */
    static final int LEFT = 64;
    /** Room right of the plot for the last time tick, which is centred on the axis's end. */
    static final int RIGHT = 24;
    static final int PLOT = WIDTH - LEFT - RIGHT;
    /** Malformed answers that reached the client: black, apart from every tier's colour. */
    static final String LEAKED = "#000000";
    static final String MAX = "#999999";
    static final String P95 = "#0072B2";
    static final String P50 = "#222222";
    static final String DEADLINE = "#c62828";
    static final String OUTAGE = "#ffcdd2";
    static final String FAULT = "#ffe0b2";
    static final String OPEN = "#D55E00";
    static final String HALF_OPEN = "#E69F00";
    static final String CLOSED = "#009E73";

    private HtmlReport() {
    }

    /** Returns the page. */
    public static String render(ReportContext report) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bulwark chaos report</title>\n")
                .append("<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}.fail{color:#c62828;font-weight:bold}")
                .append("code{background:#f4f4f4;padding:2px 4px}.scroll{overflow-x:auto}")
                .append("section{border-top:1px solid #ddd;margin-top:20px}").append(Charts.CSS)
                .append("</style></head><body>\n");
        h.append("<h1>Bulwark chaos report</h1>\n<p>Produced by <code>").append(esc(report.command()))
                .append("</code></p>\n<p>Hypothesis: ").append(report.holds() ? "holds in every scenario"
                        : "<span class=\"fail\">FAILS in at least one scenario</span>").append("</p>\n");
        h.append("<div class=\"scroll\"><table><tr>");
        Format.HEADER.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (Summary s : report.summaries()) {
            h.append("<tr>");
            List<String> row = Format.row(s);
            for (int i = 0; i < row.size(); i++) {
                boolean bad = (i == row.size() - 1 && !s.holds()) || (i == 9 && s.leaked() > 0);
                h.append(bad ? "<td class=\"fail\">" : "<td>").append(esc(row.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
        for (Summary s : report.summaries()) {
            scenario(h, s);
        }
        return h.append("</body></html>\n").toString();
    }

    private static void scenario(StringBuilder h, Summary s) {
        var scenario = s.run().experiment().scenario();
        h.append("<section><h2>").append(esc(scenario.name())).append("</h2>\n<p>").append(esc(scenario.summary()))
                .append("<br>").append(esc(Format.setting(s))).append("</p>\n<ul><li>plan: ")
                .append(esc(String.join("; ", scenario.plan().describe()))).append("</li><li>provider calls: ")
                .append(s.run().providerCalls()).append(" — ").append(esc(Format.counts(s.run().injected())))
                .append("</li><li>breaker: ").append(esc(MarkdownReport.events(s.run().breakerEvents())))
                .append("</li></ul>\n");
        h.append(latencyChart(s)).append(tierChart(s));
        h.append("<ul>");
        for (Check c : s.checks()) {
            h.append(c.verdict() == Check.Verdict.FAIL ? "<li class=\"fail\">" : "<li>").append(Format.verdict(c))
                    .append(" <code>").append(esc(c.name())).append("</code> ").append(esc(c.detail())).append("</li>");
        }
        h.append("</ul></section>\n");
    }

    private static String latencyChart(Summary s) {
        RunResult run = s.run();
        int height = 210;
        int top = 10;
        int plotH = height - top - 24;
        double deadline = run.experiment().deadline().toMillis();
        List<List<Observation>> bins = bins(run);
        double[][] series = new double[3][bins.size()];
        double yMax = deadline * 1.2;
        for (int b = 0; b < bins.size(); b++) {
            Percentiles p = Percentiles.of(bins.get(b).stream().mapToDouble(Observation::latencyMs).toArray());
            series[0][b] = p.max();
            series[1][b] = p.at(0.95);
            series[2][b] = p.at(0.5);
            yMax = Math.max(yMax, p.max());
        }
        double span = xMax(run);
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, height, "latency over time"));
        for (FaultPlan.Rule rule : run.experiment().scenario().plan().rules()) {
            boolean outage = run.experiment().scenario().outageWindow().map(w -> w.equals(rule.schedule())).orElse(false);
            for (double[] w : rule.schedule().windows()) {
                double from = run.arrivedAt(w[0]) / span;
                double to = run.arrivedAt(w[1]) / span;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                        LEFT + from * PLOT, top, Math.max(0.5, (to - from) * PLOT), plotH, outage ? OUTAGE : FAULT));
            }
        }
        axes(svg, top, plotH, yMax, span, "ms");
        double dy = top + plotH - deadline / yMax * plotH;
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>",
                LEFT, dy, LEFT + PLOT, dy, DEADLINE));
        for (BreakerEvent e : run.breakerEvents()) {
            double x = LEFT + Math.min(1, e.atSeconds() / span) * PLOT;
            // Half-open is dashed as well as amber: a thin amber line is hard to tell from a vermillion one.
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"%s/>",
                    x, top, x, top + plotH, breakerColour(e.to()),
                    e.to().equals("HALF_OPEN") ? " stroke-dasharray=\"4 3\"" : ""));
        }
        String[] colours = {MAX, P95, P50};
        for (int k = 0; k < 3; k++) {
            svg.append("<polyline fill=\"none\" stroke=\"").append(colours[k]).append("\" stroke-width=\"1.3\" points=\"");
            for (int b = 0; b < bins.size(); b++) {
                if (bins.get(b).isEmpty()) {
                    continue;
                }
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (b + 0.5) / bins.size() * PLOT,
                        top + plotH - series[k][b] / yMax * plotH));
            }
            svg.append("\"/>");
        }
        svg.append("</svg>\n");
        List<Charts.Key> legend = List.of(new Charts.Key("max", MAX, Charts.Mark.LINE),
                new Charts.Key("p95", P95, Charts.Mark.LINE), new Charts.Key("p50", P50, Charts.Mark.LINE),
                new Charts.Key(String.format(Locale.ROOT, "deadline %.0f ms", deadline), DEADLINE, Charts.Mark.DASHED),
                new Charts.Key("fault window", FAULT, Charts.Mark.BOX),
                new Charts.Key("outage window", OUTAGE, Charts.Mark.BOX),
                new Charts.Key("breaker opens", OPEN, Charts.Mark.RULE),
                new Charts.Key("half-opens", HALF_OPEN, Charts.Mark.DASHED_RULE),
                new Charts.Key("closes", CLOSED, Charts.Mark.RULE));
        return Charts.figure(String.format(Locale.ROOT,
                "latency over time: p50, p95 and max of the requests arriving in each %.1f s slice", span / BINS),
                legend, svg.toString());
    }

    private static String breakerColour(String state) {
        return switch (state) {
            case "OPEN" -> OPEN;
            case "HALF_OPEN" -> HALF_OPEN;
            default -> CLOSED;
        };
    }

    private static String tierChart(Summary s) {
        RunResult run = s.run();
        int height = 150;
        int top = 10;
        int plotH = height - top - 24;
        List<List<Observation>> bins = bins(run);
        List<String> order = new ArrayList<>(Summary.TIERS);
        order.add("leaked");
        StringBuilder svg = new StringBuilder(Charts.svg(WIDTH, height, "answers by tier over time"));
        double w = (double) PLOT / bins.size();
        for (int b = 0; b < bins.size(); b++) {
            List<Observation> bin = bins.get(b);
            if (bin.isEmpty()) {
                continue;
            }
            double y = top + plotH;
            for (String tier : order) {
                long n = bin.stream().filter(o -> tier.equals(o.wellFormed() ? o.tier() : "leaked")).count();
                if (n == 0) {
                    continue;
                }
                double hgt = (double) n / bin.size() * plotH;
                y -= hgt;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                        LEFT + b * w, y, w + 0.2, hgt, colour(tier)));
            }
        }
        axes(svg, top, plotH, 100, xMax(run), "%");
        svg.append("</svg>\n");
        List<Charts.Key> legend = new ArrayList<>();
        for (String tier : order) {
            long n = tier.equals("leaked") ? s.leaked() : s.byTier().get(tier);
            legend.add(new Charts.Key(tier + " " + n, colour(tier), Charts.Mark.BOX));
        }
        return Charts.figure("answers by tier over time: each slice's share; the legend counts all answers",
                legend, svg.toString());
    }

    /** The colour of a tier's answers, or of the malformed ones that leaked. */
    static String colour(String tier) {
        return tier.equals("leaked") ? LEAKED : TierPalette.colour(tier);
    }

    private static void axes(StringBuilder svg, int top, int plotH, double yMax, double span, String unit) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
                LEFT, top, LEFT, top + plotH, LEFT, top + plotH, LEFT + PLOT, top + plotH));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = top + plotH - (double) i / 4 * plotH;
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%.0f%s</text>", LEFT - 4, y + 4, v,
                    i == 4 ? " " + unit : ""));
        }
        for (int i = 0; i <= 6; i++) {
            double x = LEFT + (double) i / 6 * PLOT;
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%.0f s</text>", x, top + plotH + 16,
                    span * i / 6));
        }
    }

    /** The time axis runs to the end of the span, or of the last answer if that came later. */
    private static double xMax(RunResult run) {
        return Math.max(run.spanSeconds(), run.elapsedSeconds());
    }

    /** The requests that arrived in each of {@link #BINS} equal slices of the time axis. */
    private static List<List<Observation>> bins(RunResult run) {
        double span = xMax(run);
        List<List<Observation>> bins = new ArrayList<>(BINS);
        for (int b = 0; b < BINS; b++) {
            bins.add(new ArrayList<>());
        }
        for (Observation o : run.observations()) {
            bins.get(Math.min(BINS - 1, (int) (o.atSeconds() / span * BINS))).add(o);
        }
        return bins;
    }
}
