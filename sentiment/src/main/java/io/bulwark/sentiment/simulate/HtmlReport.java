package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.report.Charts;

import java.util.List;
import java.util.Locale;

import static io.bulwark.sentiment.report.Charts.esc;

/**
 * Writes a {@link SimulationReport} as one self-contained HTML page (inline CSS and SVG charts, nothing
 * fetched): monthly cost per strategy on a log scale against the $2,000 target, the share of each tier, and
 * quality retained against 95% ({@link StrategyCharts}), then the same tables as the Markdown report.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String render(SimulationReport r) {
        Scenario s = r.scenario();
        List<StrategyResult> results = r.results();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cost simulation: ")
                .append(esc(s.name())).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 16px;color:#212529}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #dee2e6;padding:4px 8px}")
                .append("td.n{text-align:right}th{background:#f1f3f5}pre{background:#f8f9fa;padding:1em;overflow:auto}")
                .append("svg text{font-family:system-ui,sans-serif}.ok{color:#2b8a3e;font-weight:bold}.no{color:#c92a2a}")
                .append(".scroll{overflow-x:auto}").append(Charts.CSS)
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

        h.append("<h2>Monthly cost (log scale)</h2>\n").append(StrategyCharts.cost(results, r.baseline().totalUsd()));
        h.append("<h2>Who answered</h2>\n").append(StrategyCharts.tiers(results));
        h.append("<h2>Quality retained</h2>\n").append(StrategyCharts.quality(results, s.reference()));

        h.append("<h2>Strategies side by side</h2>\n<div class=\"scroll\"><table><tr><th>strategy</th><th>monthly cost</th>"
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
        h.append("</table></div>\n");

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
}
