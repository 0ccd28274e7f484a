package io.bulwark.chaos.report;

import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Summary;

import java.util.List;

/**
 * Renders a chaos report as Markdown: one table row per scenario, then each scenario's plan, injected
 * faults, breaker transitions and the hypothesis' verdicts.
 */
public final class MarkdownReport {

    /** Transitions listed per scenario before the rest are counted. */
    static final int MAX_EVENTS = 12;

    private MarkdownReport() {
    }

    /** Returns the report. */
    public static String render(ReportContext report) {
        StringBuilder md = new StringBuilder();
        md.append("```bash\n").append(report.command()).append("\n```\n\n");
        md.append("| ").append(String.join(" | ", Format.HEADER)).append(" |\n");
        md.append("|---|").append("---:|".repeat(Format.HEADER.size() - 2)).append("---|\n");
        for (Summary s : report.summaries()) {
            md.append("| ").append(String.join(" | ", Format.row(s))).append(" |\n");
        }
        md.append('\n');
        for (Summary s : report.summaries()) {
            scenario(md, s);
        }
        return md.toString();
    }

    private static void scenario(StringBuilder md, Summary s) {
        var scenario = s.run().experiment().scenario();
        md.append("### ").append(scenario.name()).append("\n\n");
        md.append(scenario.summary()).append(" (").append(Format.setting(s)).append(")\n\n");
        md.append("- plan: ").append(String.join("; ", scenario.plan().describe())).append('\n');
        md.append("- provider calls: ").append(s.run().providerCalls()).append(" — ")
                .append(Format.counts(s.run().injected())).append('\n');
        md.append("- answers by fallback: ").append(Format.counts(s.byFallback())).append('\n');
        md.append("- breaker: ").append(events(s.run().breakerEvents())).append('\n');
        md.append("- hypothesis:\n");
        for (Check c : s.checks()) {
            md.append("  - ").append(Format.verdict(c)).append(" `").append(c.name()).append("` ")
                    .append(c.detail()).append('\n');
        }
        md.append('\n');
    }

    static String events(List<BreakerEvent> events) {
        if (events.isEmpty()) {
            return "no transitions";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(MAX_EVENTS, events.size()); i++) {
            sb.append(i == 0 ? "" : "; ").append(Format.event(events.get(i)));
        }
        if (events.size() > MAX_EVENTS) {
            sb.append("; … and ").append(events.size() - MAX_EVENTS).append(" more");
        }
        return sb.toString();
    }
}
