package io.bulwark.tools.simulate;

import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.sentiment.simulate.HtmlReport;
import io.bulwark.sentiment.simulate.LabelledQuery;
import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.sentiment.simulate.StrategyResult;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.embedding.Embedders;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code bulwark simulate --scenario FILE --report FILE}: runs a cost-simulation scenario through the real
 * sentiment chain and writes the report as Markdown and as self-contained HTML (the file named and its sibling
 * with the other extension). The workload is drawn from the held-out amazon sentences, which the local model
 * never saw in training.
 */
public final class SimulateCommand {

    /** The command's name, the first argument of {@code java -jar bulwark.jar}. */
    public static final String NAME = "simulate";

    public static final String USAGE = """
            usage: java -jar bulwark.jar simulate --scenario FILE --report FILE
              --scenario FILE  a cost-simulation scenario (YAML), e.g. examples/seed-003.yaml
              --report FILE    where to write the report: FILE.md and FILE.html are both written
                               (the extension given, .md or .html, names one of them)""";

    private SimulateCommand() {
    }

    /** Runs the command; returns the process exit code (0 done, 2 bad arguments, 1 failed). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path scenarioFile = null;
        Path report = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--scenario") || a.equals("--report")) && i + 1 < args.length) {
                Path p = Path.of(args[++i]);
                if (a.equals("--scenario")) {
                    scenarioFile = p;
                } else {
                    report = p;
                }
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else {
                err.println("simulate: unexpected argument '" + a + "'");
                err.println(USAGE);
                return 2;
            }
        }
        if (scenarioFile == null || report == null) {
            err.println("simulate: --scenario and --report are both required");
            err.println(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(scenarioFile)) {
            err.println("simulate: no scenario file at " + scenarioFile);
            return 2;
        }
        try {
            Scenario scenario = Scenario.load(scenarioFile);
            SimulationReport result = simulate(scenario, new ProgressBar(err));
            String base = report.toString().replaceFirst("\\.(md|html?)$", "");
            Path md = Path.of(base + ".md");
            Path html = Path.of(base + ".html");
            if (md.toAbsolutePath().getParent() != null) {
                Files.createDirectories(md.toAbsolutePath().getParent());
            }
            Files.writeString(md, MarkdownReport.render(result), StandardCharsets.UTF_8);
            Files.writeString(html, HtmlReport.render(result), StandardCharsets.UTF_8);
            out.println(summary(result));
            out.println("Report: " + md + " and " + html);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("simulate: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("simulate: " + e.getMessage());
            return 1;
        }
    }

    /** Runs {@code scenario} through the real chain with the default local model. */
    public static SimulationReport simulate(Scenario scenario, Simulator.Progress progress) throws IOException {
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        List<LabelledQuery> corpus = SentimentCorpus.heldOut().stream()
                .map(t -> new LabelledQuery(t.text(), t.label())).toList();
        return Simulator.run(scenario, corpus, new ComplexityEstimator(local::positiveProbability),
                new SentimentChainFactory(local, SentimentChain.Settings.defaults(Duration.ofSeconds(2)),
                        Embedders.lazyMiniLm()), progress);
    }

    static String summary(SimulationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %14s %12s %9s %8s %8s%n", "strategy", "monthly", "per 1,000",
                "quality", "p50", "p95"));
        sb.append(String.format(Locale.ROOT, "%-28s %14s %12s%n", "calculator baseline",
                String.format(Locale.ROOT, "$%,.2f", r.baseline().totalUsd()),
                String.format(Locale.ROOT, "$%.4f", r.baseline().per1000Queries())));
        for (StrategyResult x : r.results()) {
            sb.append(String.format(Locale.ROOT, "%-28s %14s %12s %8.1f%% %6.0fms %6.0fms%n", x.strategy().name(),
                    String.format(Locale.ROOT, "$%,.2f", x.monthlyUsd()), String.format(Locale.ROOT, "$%.4f", x.per1000Usd()),
                    100 * x.quality(), x.p50Ms(), x.p95Ms()));
        }
        return sb.toString();
    }

    /** A progress bar on one line of the error stream. */
    static final class ProgressBar implements Simulator.Progress {
        private final PrintStream err;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void update(String strategy, int index, int count, int done, int total) {
            int width = 30;
            int filled = (int) ((long) width * done / total);
            err.printf(Locale.ROOT, "\r[%s%s] %3d%%  strategy %d/%d  %-28s", "#".repeat(filled), ".".repeat(width - filled),
                    100 * done / total, index, count, strategy);
            if (done == total) {
                err.println();
            }
            err.flush();
        }
    }
}
