package io.bulwark.sentiment.simulate;

import io.bulwark.resilience.Tier;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link SimulationReport} as Markdown: the calculator's baseline with its arithmetic, the strategies
 * side by side, the targets, and each strategy's tiers, router decisions and chain.
 */
public final class MarkdownReport {

    /** The workshop's target: a month under this, with quality retained at least {@link #QUALITY_TARGET}. */
    public static final double MONTHLY_TARGET_USD = 2000;
    public static final double QUALITY_TARGET = 0.95;
    /** The workshop's stretch target, per 1,000 requests. */
    public static final double STRETCH_PER_1000_USD = 0.01;

    static final List<Tier> TIERS = List.of(Tier.CACHE, Tier.LOCAL, Tier.LLM_CHEAP, Tier.LLM_STRONG, Tier.TEMPLATE);

    private MarkdownReport() {
    }

    public static String render(SimulationReport r) {
        Scenario s = r.scenario();
        StringBuilder md = new StringBuilder();
        md.append("# Cost simulation: ").append(s.name()).append("\n\n");
        if (!s.description().isBlank()) {
            md.append(s.description().strip()).append("\n\n");
        }
        md.append(String.format(Locale.ROOT, "- Traffic: %,d requests a day (%s), %d-day month: %,d requests a month.%n",
                s.traffic().requestsPerDay(), s.traffic().shape(), s.daysPerMonth(), s.monthlyRequests()));
        md.append(String.format(Locale.ROOT, "- Sample: %,d requests per strategy (seed %d), %.1f minutes of simulated "
                        + "traffic from %02.0f:00; drawn as %s. The month is the sample's cost per request × %,d.%n",
                s.sample(), s.seed(), r.span().toMillis() / 60000.0, s.traffic().startHour(), kinds(r.workloadKinds()),
                s.monthlyRequests()));
        md.append(String.format(Locale.ROOT, "- Tokens per query: %.0f in (sd %.0f); free-form answers %.0f out (sd %.0f); "
                        + "short answers are the classification JSON, counted with the model's tokenizer.%n",
                s.tokens().input().mean(), s.tokens().input().sd(), s.tokens().output().mean(),
                s.tokens().output().sd()));
        md.append("- Prices: ").append(r.prices()).append(".\n");
        md.append("- Quality: share of answers that agree with the reference model (`").append(s.reference())
                .append("`) on the same sentence; the template's `uncertain` never agrees.\n\n");

        md.append("## Baseline by the calculator\n\n```\n");
        r.baseline().arithmetic().forEach(line -> md.append(line).append('\n'));
        md.append("```\n\n");

        md.append("## Strategies side by side\n\n");
        md.append("| strategy | monthly cost | per 1,000 requests | vs baseline | quality retained | exact-cache hits "
                + "| semantic-cache hits | local | llm-cheap | llm-strong | template | p50 | p95 |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double base = r.baseline().totalUsd();
        for (StrategyResult x : r.results()) {
            md.append(String.format(Locale.ROOT,
                    "| %s | $%,.2f | $%.4f | %.2f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.0f ms | %.0f ms |%n",
                    x.strategy().name(), x.monthlyUsd(), x.per1000Usd(), 100 * x.monthlyUsd() / base,
                    100 * x.quality(), 100.0 * x.exactHits() / x.requests(), 100.0 * x.semanticHits() / x.requests(),
                    100 * x.share(Tier.LOCAL), 100 * x.share(Tier.LLM_CHEAP), 100 * x.share(Tier.LLM_STRONG),
                    100 * x.share(Tier.TEMPLATE), x.p50Ms(), x.p95Ms()));
        }
        md.append("\nLatency is simulated time inside the chain: provider calls and, with the semantic cache, one "
                + "embedding per lookup (at the fixed time its embedder is named with); exact-cache hits and the local "
                + "model take none.\n\n");

        md.append("## Targets\n\n");
        for (StrategyResult x : r.results()) {
            boolean month = x.monthlyUsd() < MONTHLY_TARGET_USD && x.quality() >= QUALITY_TARGET;
            boolean stretch = x.per1000Usd() < STRETCH_PER_1000_USD && x.quality() >= QUALITY_TARGET;
            md.append(String.format(Locale.ROOT, "- %s: under $2,000 a month with quality ≥ 95%%: **%s**; "
                            + "under $0.01 per 1,000 requests: **%s**%n", x.strategy().name(), month ? "yes" : "no",
                    stretch ? "yes" : "no"));
        }
        md.append('\n');

        md.append("## Each strategy\n\n");
        for (StrategyResult x : r.results()) {
            md.append("### ").append(x.strategy().name()).append("\n\n");
            md.append(settings(x.strategy())).append("\n\n");
            md.append("| tier | answers | share | sample cost | monthly cost | quality retained |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (Tier t : TIERS) {
                long count = x.answersByTier().getOrDefault(t, 0L);
                if (count == 0) {
                    continue;
                }
                double c = x.costByTier().getOrDefault(t, 0.0);
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% | $%.4f | $%,.2f | %.1f%% |%n", t.code(),
                        count, 100.0 * count / x.requests(), c, c / x.requests() * s.monthlyRequests(),
                        100 * x.qualityByTier().getOrDefault(t, 0.0)));
            }
            md.append('\n');
            if (!x.routerDecisions().isEmpty()) {
                md.append("Router decisions (tier | reason: count): ");
                md.append(String.join(", ", x.routerDecisions().entrySet().stream()
                        .map(e -> e.getKey().replace("|", " | ") + ": " + e.getValue()).toList()));
                md.append("\n\n");
            }
            md.append("Fallbacks: ").append(x.fallbacks().isEmpty() ? "none" : x.fallbacks().toString())
                    .append("; degraded answers: ").append(x.degraded()).append("\n\n");
            md.append("<details><summary>Chain</summary>\n\n```\n").append(x.chain()).append("\n```\n\n</details>\n\n");
        }

        md.append("## Simulated models\n\n");
        md.append("| model | accuracy (assumed) | p50 | p95 | 429 | 5xx | malformed | price in / out per 1M |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        s.models().values().forEach(m -> {
            var p = r.prices().require(m.name());
            md.append(String.format(Locale.ROOT, "| %s%s | %.3f | %.0f ms | %.0f ms | %.2f%% | %.2f%% | %.2f%% | $%.2f / $%.2f |%n",
                    m.name(), m.name().equals(s.reference()) ? " (reference)" : "", m.accuracy(), m.p50Ms(), m.p95Ms(),
                    100 * m.rateLimited(), 100 * m.unavailable(), 100 * m.malformed(), p.inputPerMillion(),
                    p.outputPerMillion()));
        });
        md.append(String.format(Locale.ROOT, "%nThe simulated models' accuracies are inputs of the scenario (error "
                + "correlation %.2f), not measurements: replace them with figures measured on a real endpoint. The local "
                + "model is the real one, so its agreement with the reference is measured.%n", s.errorCorrelation()));
        return md.toString();
    }

    static String settings(Scenario.Strategy st) {
        StringBuilder sb = new StringBuilder();
        sb.append("cheap model: `").append(st.cheap() == null ? "none" : st.cheap()).append("`, strong model: `")
                .append(st.strong() == null ? "none" : st.strong()).append("`, exact cache: ")
                .append(st.exactCache() ? "on" : "off").append(", semantic cache: ").append(st.semanticCache() ? "on" : "off")
                .append(", router: ");
        sb.append(st.router() ? String.format(Locale.ROOT, "on (local confidence ≥ %.2f, strong complexity ≥ %.2f)",
                st.localConfidence(), st.strongComplexity()) : "off");
        sb.append(", output: ").append(st.shortOutput() ? "short (classification JSON)" : "free-form");
        sb.append(", budget: ").append(st.budget() ? "on" : "off");
        return sb.toString();
    }

    private static String kinds(Map<Workload.Kind, Long> kinds) {
        return String.join(", ", kinds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey().name().toLowerCase(Locale.ROOT)))
                .toList());
    }
}
