package io.bulwark.sentiment.simulate;

/**
 * Writes a {@link SimulationReport} as one self-contained HTML page (inline CSS and SVG charts, nothing
 * fetched): the Markdown report's {@link MarkdownReport#document document}, the same tables with the same numbers,
 * with the charts ({@link StrategyCharts}) added: monthly cost on a log and a linear scale against the $2,000
 * target, the share of each tier, and quality retained against 95%.
 */
public final class HtmlReport {

    static final String CSS = "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 16px;"
            + "color:#212529}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #dee2e6;padding:4px 8px}"
            + "td.n{text-align:right}th{background:#f1f3f5}pre{background:#f8f9fa;padding:1em;overflow:auto}"
            + "svg text{font-family:system-ui,sans-serif}.ok{color:#2b8a3e;font-weight:bold}.no{color:#c92a2a}"
            + ".scroll{overflow-x:auto}";

    private HtmlReport() {
    }

    public static String render(SimulationReport r) {
        return MarkdownReport.document(r, true).html("Cost simulation: " + r.scenario().name(), CSS);
    }
}
