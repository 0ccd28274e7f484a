package io.bulwark.sentiment.simulate;

import io.bulwark.costing.Price;
import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.report.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link SimulationReport} as Markdown: the calculator's baseline with its arithmetic, the strategies
 * side by side (tokens and platform), what the platform's memory and architecture change, the targets, and each
 * strategy's tiers, router decisions and chain. The HTML report ({@link HtmlReport}) renders the same
 * {@link #document document}, charts added, so both carry the same numbers.
 */
public final class MarkdownReport {

    /** The workshop's target: a month under this, with quality retained at least {@link #QUALITY_TARGET}. */
    public static final double MONTHLY_TARGET_USD = 2000;
    public static final double QUALITY_TARGET = 0.95;
    /** The workshop's stretch target, per 1,000 requests. */
    public static final double STRETCH_PER_1000_USD = 0.01;
    /** Issue 17's target for seed 003's "all together": a month under this, tokens and platform counted. */
    public static final double ALL_TOGETHER_TARGET_USD = 500;

    static final List<Tier> TIERS = List.of(Tier.CACHE, Tier.LOCAL, Tier.LLM_CHEAP, Tier.LLM_STRONG, Tier.TEMPLATE);

    private MarkdownReport() {
    }

    public static String render(SimulationReport r) {
        return document(r, false).markdown();
    }

    /** Returns the report; with {@code charts}, the HTML figures are in it. */
    static Document document(SimulationReport r, boolean charts) {
        Scenario s = r.scenario();
        Document d = new Document();
        d.heading(1, "Cost simulation: " + s.name());
        if (!s.description().isBlank()) {
            d.paragraph(s.description());
        }
        d.bullet(String.format(Locale.ROOT, "Traffic: %,d requests a day (%s), %d-day month: %,d requests a month.",
                s.traffic().requestsPerDay(), s.traffic().shape(), s.daysPerMonth(), s.monthlyRequests()));
        r.traffic().ifPresent(t -> d.bullet(String.format(Locale.ROOT, "Replayed traffic: `%s`, %,d requests in the "
                        + "file's order and timing; %s. The sample's costs are the ledger's totals of each strategy's run.",
                t.path().getFileName(), t.lines().size(), t.problems().isEmpty() ? "no line skipped"
                        : t.problems().size() + " bad lines skipped (" + String.join("; ", t.problems().stream()
                        .limit(10).map(TrafficFile.Problem::toString).toList())
                        + (t.problems().size() > 10 ? "; ..." : "") + ")")));
        r.traffic().ifPresent(t -> {
            Map<String, Long> counts = new java.util.HashMap<>();
            t.lines().forEach(l -> counts.merge(l.text().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT), 1L,
                    Long::sum));
            long top = counts.values().stream().sorted(java.util.Comparator.reverseOrder()).limit(10)
                    .mapToLong(Long::longValue).sum();
            d.bullet(String.format(Locale.ROOT, "The file has %,d distinct texts; the 10 most frequent make %s of its "
                    + "requests, so its accuracy is weighted by what a model says about those few.", counts.size(),
                    pct(top / (double) t.lines().size(), 1)));
        });
        d.bullet(String.format(Locale.ROOT, "Sample: %,d requests per strategy (seed %d), %.1f minutes of simulated "
                        + "traffic from %02.0f:00; drawn as %s. The month is the sample's cost per request × %,d.",
                s.sample(), s.seed(), r.span().toMillis() / 60000.0, s.traffic().startHour(), kinds(r.workloadKinds()),
                s.monthlyRequests()));
        if (r.traffic().isPresent()) {
            d.bullet(String.format(Locale.ROOT, "Tokens per query: counted with the reference model's tokenizer (the "
                    + "system prompt and the text); free-form answers %.0f out (sd %.0f); short answers are the "
                    + "classification JSON, counted with the model's tokenizer.", s.tokens().output().mean(),
                    s.tokens().output().sd()));
        } else {
            d.bullet(String.format(Locale.ROOT, "Tokens per query: %.0f in (sd %.0f); free-form answers %.0f out (sd "
                            + "%.0f); short answers are the classification JSON, counted with the model's tokenizer.",
                    s.tokens().input().mean(), s.tokens().input().sd(), s.tokens().output().mean(),
                    s.tokens().output().sd()));
        }
        d.bullet("Prices: " + r.prices() + ".");
        d.bullet(platformLine(s));
        d.bullet(promptCacheLine(s, r));
        d.bullet("Quality: **accuracy on labelled truth**, the share of answers that give the held-out sentence's own "
                + "label (the dataset's, not a model's); the template's `uncertain` is never right. Beside it, the "
                + "reference model (`" + s.reference() + "`) on the same requests, and each strategy's agreement with it.");
        r.localAccuracy().ifPresent(a -> d.bullet(String.format(Locale.ROOT, "The local model (the real one), "
                + "measured on the sample's distinct labelled sentences: **%.1f%%** accurate. The LLMs' accuracies "
                + "are assumed (table at the end); the sensitivity table shows what other assumptions give.", 100 * a)));

        d.heading(2, "Baseline by the calculator");
        d.preformatted(String.join("\n", r.baseline().arithmetic()));
        d.paragraph("The calculator prices tokens only, as the workshop does; the strategies below add the platform.");

        if (charts) {
            d.figure("Monthly cost", "<h2>Monthly cost: log scale and linear</h2>\n"
                    + StrategyCharts.cost(r.results(), r.baseline().totalUsd()) + StrategyCharts.costLinear(r.results()));
            d.figure("Who answered", "<h2>Who answered</h2>\n" + StrategyCharts.tiers(r.results()));
            d.figure("Accuracy on labelled truth", "<h2>Accuracy on labelled truth</h2>\n"
                    + StrategyCharts.quality(r.results(), s.reference()));
        }

        double base = r.baseline().totalUsd();
        d.heading(2, "Strategies side by side");
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult x : r.results()) {
            rows.add(List.of(x.strategy().name(), usd(x.monthlyUsd()), per1000(x.per1000Usd()),
                    pct(x.monthlyUsd() / base, 2), pct(x.accuracy(), 1), pct(x.referenceAccuracy(), 1),
                    pct(x.agreement(), 1), pct((double) x.exactHits() / x.requests(), 1),
                    pct((double) x.semanticHits() / x.requests(), 1), pct(x.share(Tier.LOCAL), 1),
                    pct(x.share(Tier.LLM_CHEAP), 1), pct(x.share(Tier.LLM_STRONG), 1), pct(x.share(Tier.TEMPLATE), 1),
                    ms(x.p50Ms()), ms(x.p95Ms())));
        }
        d.table(List.of("strategy", "monthly cost (tokens + platform)", "per 1,000 requests", "vs baseline",
                        "accuracy (labelled truth)", "reference alone", "agreement with reference",
                        "exact-cache hits", "semantic-cache hits", "local", "llm-cheap", "llm-strong", "template",
                        "p50", "p95"),
                List.of(false, true, true, true, true, true, true, true, true, true, true, true, true, true, true), rows);
        d.paragraph("Latency is simulated time inside the chain: provider calls and, with the semantic cache, one "
                + "embedding per lookup (at the fixed time its embedder is named with); exact-cache hits and the local "
                + "model take none.");

        platform(d, r);
        sensitivity(d, r);
        batch(d, r);

        targets(d, r);

        d.heading(2, "Each strategy");
        for (StrategyResult x : r.results()) {
            d.heading(3, x.strategy().name());
            d.paragraph(settings(x.strategy()));
            List<List<String>> tiers = new ArrayList<>();
            for (Tier t : TIERS) {
                long count = x.answersByTier().getOrDefault(t, 0L);
                if (count == 0) {
                    continue;
                }
                double c = x.costByTier().getOrDefault(t, 0.0);
                tiers.add(List.of(t.code(), String.format(Locale.ROOT, "%,d", count), pct((double) count / x.requests(), 1),
                        String.format(Locale.ROOT, "$%.4f", c), usd(c / x.requests() * s.monthlyRequests()),
                        x.accuracyByTier().containsKey(t) ? pct(x.accuracyByTier().get(t), 1) : "—"));
            }
            d.table(List.of("tier", "answers", "share", "sample token cost", "monthly token cost",
                            "accuracy (labelled truth)"),
                    List.of(false, true, true, true, true, true), tiers);
            if (!x.routerDecisions().isEmpty()) {
                d.paragraph("Router decisions (tier | reason: count): " + String.join(", ", x.routerDecisions()
                        .entrySet().stream().map(e -> e.getKey().replace("|", " | ") + ": " + e.getValue()).toList()));
            }
            d.paragraph("Fallbacks: " + (x.fallbacks().isEmpty() ? "none" : x.fallbacks().toString())
                    + "; degraded answers: " + x.degraded());
            d.paragraph(String.format(Locale.ROOT, "Billed failures (malformed answers that came with a token count, "
                            + "charged in the ledger; 429s bill nothing): %,d calls, $%.4f in the sample. Prompt-cached "
                            + "input tokens: %,d.", x.billedFailures(), x.billedFailuresUsd(),
                    x.cachedInputTokens()));
            d.details("Chain", x.chain());
        }

        d.heading(2, "Simulated models");
        List<List<String>> models = new ArrayList<>();
        s.models().values().forEach(m -> {
            Price p = r.prices().require(m.name());
            models.add(List.of(m.name() + (m.name().equals(s.reference()) ? " (reference)" : ""),
                    String.format(Locale.ROOT, "%.3f", m.accuracy()), ms(m.p50Ms()), ms(m.p95Ms()),
                    pct(m.rateLimited(), 2), pct(m.unavailable(), 2), pct(m.malformed(), 2),
                    String.format(Locale.ROOT, "$%.2f / $%.2f", p.inputPerMillion(), p.outputPerMillion())));
        });
        d.table(List.of("model", "accuracy (assumed)", "p50", "p95", "429", "5xx", "malformed", "price in / out per 1M"),
                List.of(false, true, true, true, true, true, true, true), models);
        d.paragraph(String.format(Locale.ROOT, "The simulated models' accuracies are inputs of the scenario (error "
                + "correlation %.2f), not measurements: measure them on a real endpoint (`simulate --llm-base-url`) and "
                + "put the figures here. The local model is the real one: its accuracy is measured.",
                s.errorCorrelation()));
        return d;
    }

    private static String promptCacheLine(Scenario s, SimulationReport r) {
        List<String> cached = new ArrayList<>();
        List<String> none = new ArrayList<>();
        s.models().keySet().forEach(m -> {
            Price p = r.prices().require(m);
            (p.cachedInputPerMillion() < p.inputPerMillion() ? cached : none).add(m);
        });
        return String.format(Locale.ROOT, "Prompt cache: strategies with `prompt_cache` send the shared prefix "
                        + "(%d tokens of each input) first; providers cache prefixes from %,d tokens on, so %s. "
                        + "Models with a cached-input price: %s; without one (no discount): %s.",
                s.tokens().sharedPrefix(), s.promptCacheMinTokens(),
                s.tokens().sharedPrefix() >= s.promptCacheMinTokens() && s.tokens().sharedPrefix() > 0
                        ? "it is served from the cache once warm"
                        : "this one is too short to be cached and is billed at the full input price",
                cached.isEmpty() ? "none" : String.join(", ", cached), none.isEmpty() ? "none" : String.join(", ", none));
    }

    private static String platformLine(Scenario s) {
        Scenario.Platform p = s.platform();
        return String.format(Locale.ROOT, "Platform: `%s` at %,d MB behind `%s`; each request is billed for its time "
                        + "in the chain (LLM waits included) plus %s ms of assumed overhead; free tiers not subtracted.",
                p.function(), p.memoryMb(), p.gateway(), plain(p.overheadMs()));
    }

    /** Tokens and platform side by side, then the same requests on the other platforms and memory settings. */
    private static void platform(Document d, SimulationReport r) {
        d.heading(2, "Tokens and platform");
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult x : r.results()) {
            rows.add(List.of(x.strategy().name(), usd(x.tokenMonthlyUsd()), usd(x.platformMonthlyUsd()),
                    usd(x.monthlyUsd()), per1000(x.tokenPer1000Usd()), per1000(x.platformPer1000Usd()),
                    per1000(x.per1000Usd()), ms(x.meanInFunctionMs())));
        }
        d.table(List.of("strategy", "tokens / month", "platform / month", "total / month", "tokens / 1,000",
                "platform / 1,000", "total / 1,000", "mean time in the function"),
                List.of(false, true, true, true, true, true, true, true), rows);
        d.paragraph("A function is billed for the whole time a request spends in it, waiting for the LLM included: at "
                + "1,024 MB on Lambda x86, 0.5 s of waiting costs $0.0083 per 1,000 requests, close to the workshop's "
                + "whole $0.01 target. Caches and the local model cut the platform bill as they cut the tokens: they "
                + "answer in milliseconds.");

        d.heading(3, "What memory and architecture change");
        List<StrategyResult> results = r.results();
        List<String> header = new ArrayList<>();
        header.add("platform (monthly, per 1,000)");
        List<Boolean> numeric = new ArrayList<>();
        numeric.add(false);
        results.forEach(x -> {
            header.add(x.strategy().name());
            numeric.add(true);
        });
        List<List<String>> options = new ArrayList<>();
        int count = results.getFirst().platformOptions().size();
        for (int i = 0; i < count; i++) {
            List<String> row = new ArrayList<>();
            PlatformBill first = results.getFirst().platformOptions().get(i);
            row.add(first.configured() ? "**" + first.label() + "** (the scenario's)" : first.label());
            for (StrategyResult x : results) {
                PlatformBill b = x.platformOptions().get(i);
                row.add(usd(b.monthlyUsd()) + " (" + per1000(b.per1000Usd()) + ")");
            }
            options.add(row);
        }
        d.table(header, numeric, options);
        d.paragraph("Lambda bills the configured memory: halving it halves the GB-seconds of every request, and an LLM "
                + "wait does not get shorter with more memory (more memory buys CPU, which the chain barely uses: the "
                + "local model answers in microseconds, an embedding in milliseconds). arm64 (Graviton) costs 20% less "
                + "per GB-second for the same wait; the request and gateway charges do not change. Azure's consumption "
                + "plan bills at least 100 ms per execution, so cache hits cost more there. An always-on container "
                + "costs the same whatever the requests: cheapest when the chain mostly waits and the traffic is "
                + "steady, dearest at low volume.");
    }

    /** Each strategy against the targets, then the cheapest at ≥ 95% against $0.01 per 1,000 and what stands in the way. */
    private static void targets(Document d, SimulationReport r) {
        d.heading(2, "Targets");
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult x : r.results()) {
            boolean quality = x.accuracy() >= QUALITY_TARGET;
            rows.add(List.of(x.strategy().name(), usd(x.monthlyUsd()), per1000(x.per1000Usd()), pct(x.accuracy(), 1),
                    yes(quality && x.monthlyUsd() < MONTHLY_TARGET_USD),
                    yes(quality && x.monthlyUsd() < ALL_TOGETHER_TARGET_USD),
                    yes(quality && x.per1000Usd() < STRETCH_PER_1000_USD)));
        }
        d.table(List.of("strategy", "month (tokens + platform)", "per 1,000", "accuracy (labelled truth)",
                        "< $2,000 a month, ≥ 95%", "< $500 a month, ≥ 95%", "< $0.01 per 1,000, ≥ 95%"),
                List.of(false, true, true, true, false, false, false), rows);
        StrategyResult best = r.results().stream().filter(x -> x.accuracy() >= QUALITY_TARGET)
                .min(java.util.Comparator.comparingDouble(StrategyResult::per1000Usd)).orElse(null);
        if (best == null) {
            StrategyResult top = r.results().stream()
                    .max(java.util.Comparator.comparingDouble(StrategyResult::accuracy)).orElseThrow();
            d.paragraph(String.format(Locale.ROOT, "No strategy reaches 95%% on labelled truth; the most accurate is "
                    + "%s at %s (%s per 1,000).", top.strategy().name(), pct(top.accuracy(), 1),
                    per1000(top.per1000Usd())));
            return;
        }
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "Cheapest at ≥ 95%% on labelled truth: "
                        + "**%s**, %s per 1,000 requests (tokens %s, platform %s) at %s accurate: ", best.strategy().name(),
                per1000(best.per1000Usd()), per1000(best.tokenPer1000Usd()), per1000(best.platformPer1000Usd()),
                pct(best.accuracy(), 1)));
        if (best.per1000Usd() < STRETCH_PER_1000_USD) {
            why.append("the $0.01 target is met.");
        } else {
            why.append(String.format(Locale.ROOT, "%.0f× the $0.01 target.", best.per1000Usd() / STRETCH_PER_1000_USD));
            for (Tier t : List.of(Tier.LLM_STRONG, Tier.LLM_CHEAP)) {
                long calls = best.answersByTier().getOrDefault(t, 0L);
                double spent = best.costByTier().getOrDefault(t, 0.0);
                if (calls > 0 && spent > 0) {
                    double perCall = spent / calls;
                    why.append(String.format(Locale.ROOT, " %s answers %s of the requests at $%.6f a call, %s per "
                                    + "1,000 requests on its own; $0.01 per 1,000 pays for one such call in %,.0f requests.",
                            t.code(), pct(best.share(t), 1), perCall, per1000(spent / best.requests() * 1000),
                            perCall / (STRETCH_PER_1000_USD / 1000)));
                }
            }
            why.append(String.format(Locale.ROOT, " The platform alone is %s per 1,000 (the gateway's $1.00 per "
                    + "million is $0.0010 of it).", per1000(best.platformPer1000Usd())));
        }
        d.paragraph(why.toString());
    }

    private static String yes(boolean b) {
        return b ? "**yes**" : "no";
    }

    /** Accuracy on labelled truth when the LLMs are better or worse than assumed; cost does not move. */
    private static void sensitivity(Document d, SimulationReport r) {
        d.heading(2, "Sensitivity to the assumed LLM accuracies");
        List<String> header = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        header.add("strategy (cost does not change)");
        numeric.add(false);
        for (Map<String, Double> column : r.sensitivity()) {
            header.add(String.join(", ", column.entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue())).toList()));
            numeric.add(true);
        }
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult x : r.results()) {
            List<String> row = new ArrayList<>();
            row.add(x.strategy().name() + " (" + usd(x.monthlyUsd()) + ")");
            x.sensitivity().forEach(a -> row.add(Double.isNaN(a) ? "—" : (a >= QUALITY_TARGET ? "**" : "") + pct(a, 1)
                    + (a >= QUALITY_TARGET ? "** ✓" : "")));
            rows.add(row);
        }
        d.table(header, numeric, rows);
        d.paragraph("Each column assumes other accuracies for every simulated LLM (the scenario's own is the middle "
                + "one) and re-scores the same answers: the same draws decide each sentence, so a more accurate model "
                + "only turns wrong answers right. Routing and caching do not look at the LLMs' labels, so the cost is "
                + "the same in every column (the semantic cache's guard, which does, is the exception, and is not "
                + "re-run). **Bold ✓**: the 95% target on labelled truth holds.");
    }

    /** What sending the requests that can wait through the provider's batch API saves and costs in time. */
    private static void batch(Document d, SimulationReport r) {
        List<StrategyResult> batched = r.results().stream().filter(x -> x.strategy().batchShare() > 0).toList();
        if (batched.isEmpty()) {
            return;
        }
        d.heading(2, "Batch processing");
        List<List<String>> rows = new ArrayList<>();
        for (StrategyResult x : batched) {
            rows.add(List.of(x.strategy().name(), pct(x.strategy().batchShare(), 0),
                    String.format(Locale.ROOT, "%,d", x.batchedCalls()), usd(x.monthlyUsd()),
                    String.format(Locale.ROOT, "within %s h", plain(r.scenario().batch().turnaroundHours())),
                    ms(x.p95Ms())));
        }
        d.table(List.of("strategy", "requests that can wait", "LLM calls batched (sample)", "monthly cost",
                        "their latency", "p95 of the rest"),
                List.of(false, true, true, true, true, true), rows);
        d.paragraph("A request that can wait and needs an LLM goes through the provider's batch API at the price file's "
                + "`batch_discount` (OpenAI and Anthropic: half price) and is answered within the batch's turnaround "
                + "instead of the request's deadline; the function only enqueues it, so its platform time is the "
                + "overhead. Cache hits and local answers among them are answered at once as usual. Which traffic "
                + "can wait: re-scoring stored reviews, nightly reports, labelling feedback, analytics — not a user "
                + "waiting for an answer.");
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
        if (st.promptCache()) {
            sb.append(", prompt cache: on");
        }
        if (st.batchShare() > 0) {
            sb.append(String.format(Locale.ROOT, ", batch: %.0f%% of requests can wait", 100 * st.batchShare()));
        }
        return sb.toString();
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%,.2f", v);
    }

    static String per1000(double v) {
        return String.format(Locale.ROOT, "$%.4f", v);
    }

    static String pct(double share, int decimals) {
        if (Double.isNaN(share)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * share);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    static String plain(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(d);
    }

    private static String kinds(Map<Workload.Kind, Long> kinds) {
        return String.join(", ", kinds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey().name().toLowerCase(Locale.ROOT)))
                .toList());
    }
}
