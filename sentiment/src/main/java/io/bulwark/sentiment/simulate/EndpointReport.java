package io.bulwark.sentiment.simulate;

import io.bulwark.sentiment.report.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.bulwark.sentiment.simulate.MarkdownReport.pct;
import static io.bulwark.sentiment.simulate.MarkdownReport.usd;

/**
 * Writes an {@link EndpointMeasurement.Result} as Markdown or HTML, the same {@link Document}.
 */
public final class EndpointReport {

    /** The page's styles: the simulation report's. */
    public static final String CSS = HtmlReport.CSS;

    private EndpointReport() {
    }

    /** Returns the report of a real-endpoint measurement. */
    public static Document document(Scenario s, EndpointMeasurement.Result r) {
        Document d = new Document();
        d.heading(1, "Real endpoint: " + r.model() + " at " + r.baseUrl());
        d.bullet(String.format(Locale.ROOT, "Sample: %,d of the held-out labelled sentences (seed %d), one call each, no "
                + "retries; request budget %,d.", r.calls().size(), s.seed(), r.requestBudget()));
        d.bullet("Outcomes: " + String.join(", ", r.outcomes().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList()) + ".");
        d.bullet(String.format(Locale.ROOT, "Tokens reported by the provider: %,d in (%,d of them from its prompt cache), "
                + "%,d out; the sample cost %s (malformed answers that came with a usage count included, 429s free).",
                r.inputTokens(), r.cachedInputTokens(), r.outputTokens(), String.format(Locale.ROOT, "$%.6f",
                        r.sampleCostUsd())));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("cost per call (mean)", String.format(Locale.ROOT, "$%.8f", r.meanCostUsd()), "—"));
        rows.add(List.of(String.format(Locale.ROOT, "month, %,d requests, every one a call (tokens)", r.monthlyRequests()),
                usd(r.monthlyUsd()), usd(r.monthlyLowUsd()) + " – " + usd(r.monthlyHighUsd())));
        rows.add(List.of("per 1,000 requests (tokens)", String.format(Locale.ROOT, "$%.4f", r.meanCostUsd() * 1000),
                String.format(Locale.ROOT, "$%.4f – $%.4f", r.monthlyLowUsd() / r.monthlyRequests() * 1000,
                        r.monthlyHighUsd() / r.monthlyRequests() * 1000)));
        rows.add(List.of("per 1,000 requests (platform: " + s.platform().function() + ", "
                        + s.platform().memoryMb() + " MB, at the measured latencies)",
                String.format(Locale.ROOT, "$%.4f", r.platformPer1000Usd()), "—"));
        rows.add(List.of(String.format(Locale.ROOT, "accuracy on the labels (%,d answered)", r.answered()),
                pct(r.accuracy(), 1), pct(r.accuracyLow(), 1) + " – " + pct(r.accuracyHigh(), 1)));
        rows.add(List.of("latency p50 / p95", String.format(Locale.ROOT, "%.0f ms / %.0f ms", r.p50Ms(), r.p95Ms()),
                "—"));
        d.table(List.of("measured", "value", "95% interval"), List.of(false, true, true), rows);
        d.paragraph("The month's interval is the mean's (normal approximation, ±1.96 standard errors of the sample's "
                + "cost per call); the accuracy's is Wilson's. Put the measured accuracy and latency into the "
                + "scenario's `models:` in place of the assumed ones.");
        return d;
    }
}
