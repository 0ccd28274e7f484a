package io.bulwark.tools.simulate;

import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.sentiment.simulate.HtmlReport;
import io.bulwark.sentiment.simulate.LabelledQuery;
import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.sentiment.simulate.StrategyResult;
import io.bulwark.sentiment.simulate.TrafficFile;
import io.bulwark.sentiment.simulate.EndpointMeasurement;
import io.bulwark.sentiment.simulate.EndpointReport;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.embedding.Embedders;
import io.bulwark.tools.HelpOption;
import io.bulwark.tools.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bulwark simulate --scenario FILE --report FILE}: runs a cost-simulation scenario through the real
 * sentiment chain and writes the report as Markdown and as self-contained HTML (the file named and its sibling
 * with the other extension). The workload is drawn from the held-out amazon sentences, which the local model
 * never saw in training, or replayed from a recorded stream ({@code --traffic FILE}); with {@code --llm-base-url URL}
 * a real endpoint is measured on a sample of those sentences instead, within a request budget.
 */
@Command(name = SimulateCommand.NAME, sortOptions = false, sortSynopsis = false,
        header = "Simulates a month of traffic through the sentiment chain and compares the strategies' costs.",
        description = "Simulates a month of a scenario's traffic through the real sentiment chain, strategy by "
                + "strategy, and compares their costs, quality and latency.",
        footer = {"", "Exit status: 0 done, 1 the report could not be written, 2 bad arguments, a bad scenario or a "
                + "traffic file without a line to replay (bad lines are skipped and named on the error stream)."})
public final class SimulateCommand implements Callable<Integer> {

    /** The command's name, the first argument of {@code bulwark}. */
    public static final String NAME = "simulate";

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--scenario", required = true, paramLabel = "FILE",
            description = "a cost-simulation scenario (YAML), e.g. examples/seed-003.yaml")
    private Path scenarioFile;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "where to write the report: "
            + "FILE.md and FILE.html are both written (the extension given, .md or .html, names one of them)")
    private Path report;

    @Option(names = "--traffic", paramLabel = "FILE", description = "replay a recorded stream instead of drawing "
            + "from the bundled sentences: the prediction log's JSONL, JSON Lines of {\"text\", \"timestamp\", "
            + "\"label\"} or a CSV with a text column (and optional timestamp, label); bad lines are skipped and "
            + "reported with their line numbers")
    private Path traffic;

    @Option(names = "--llm-base-url", paramLabel = "URL", description = "measure a real OpenAI-compatible endpoint "
            + "instead of simulating: a sample of the held-out labelled sentences, one call each (key from "
            + "BULWARK_LLM_API_KEY, else OPENAI_API_KEY); the report gives the tokens, latency and accuracy measured "
            + "and the month scaled from them with its 95%% interval")
    private String llmBaseUrl;

    @Option(names = "--llm-model", paramLabel = "MODEL", description = "the model to measure (default: the "
            + "scenario's reference); it must have a price")
    private String llmModel;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_REQUESTS,
            description = "the request budget of --llm-base-url: at most N calls (default: ${DEFAULT-VALUE})")
    private int maxRequests;

    @Option(names = "--llm-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "time-out of each real call (default: ${DEFAULT-VALUE} s)")
    private int llmTimeoutSeconds;

    /** The default request budget of the real-endpoint mode. */
    public static final int DEFAULT_MAX_REQUESTS = 50;

    private SimulateCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(scenarioFile)) {
            err.println(NAME + ": no scenario file at " + scenarioFile);
            return CommandLine.ExitCode.USAGE;
        }
        try {
            Scenario scenario = Scenario.load(scenarioFile);
            ProgressBar bar = new ProgressBar(err);
            if (llmBaseUrl != null) {
                return measureEndpoint(scenario, bar, out, err);
            }
            Simulator.Progress progress = (strategy, index, count, done, total) ->
                    bar.update(index + "/" + count + " " + strategy, done, total);
            SimulationReport result;
            if (traffic != null) {
                if (!Files.isRegularFile(traffic)) {
                    err.println(NAME + ": no traffic file at " + traffic + "; give the path of a prediction log "
                            + "(JSONL), JSON Lines of {\"text\": ...} or a CSV with a 'text' column");
                    return CommandLine.ExitCode.USAGE;
                }
                TrafficFile file = TrafficFile.read(traffic);
                file.problems().stream().limit(20).forEach(p -> err.println(NAME + ": " + traffic + ": skipped " + p));
                if (file.problems().size() > 20) {
                    err.println(NAME + ": " + traffic + ": skipped " + (file.problems().size() - 20) + " more bad lines");
                }
                result = replay(scenario, file, progress);
            } else {
                result = simulate(scenario, progress);
            }
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
            return CommandLine.ExitCode.OK;
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (IOException | UncheckedIOException e) {
            err.println(NAME + ": " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
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

    private int measureEndpoint(Scenario scenario, ProgressBar bar, PrintWriter out, PrintWriter err)
            throws IOException {
        if (maxRequests < 1) {
            err.println(NAME + ": --max-requests must be at least 1, not " + maxRequests);
            return CommandLine.ExitCode.USAGE;
        }
        if (llmTimeoutSeconds < 1) {
            err.println(NAME + ": --llm-timeout must be at least 1 second, not " + llmTimeoutSeconds);
            return CommandLine.ExitCode.USAGE;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(llmBaseUrl);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            err.println(NAME + ": --llm-base-url '" + llmBaseUrl + "' is not an http(s) URL; give the endpoint's base, "
                    + "e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1");
            return CommandLine.ExitCode.USAGE;
        }
        String model = llmModel != null ? llmModel : scenario.reference();
        io.bulwark.costing.PriceTable prices = scenario.priceFile().map(io.bulwark.costing.PriceTable::load)
                .map(t -> t.withPlatformsFrom(io.bulwark.costing.PriceTable.defaults()))
                .orElseGet(io.bulwark.costing.PriceTable::defaults);
        prices.require(model);
        String key = System.getenv("BULWARK_LLM_API_KEY");
        if (key == null || key.isBlank()) {
            key = System.getenv("OPENAI_API_KEY");
        }
        EndpointMeasurement.Result result = measure(scenario, llmBaseUrl, model, key, maxRequests,
                Duration.ofSeconds(llmTimeoutSeconds), prices, (s, index, count, done, total) ->
                        bar.update(s, done, total));
        write(EndpointReport.document(scenario, result), "Real endpoint: " + model);
        out.println(String.format(Locale.ROOT, "%s at %s: %d calls (%s); accuracy %.1f%% [%.1f%%, %.1f%%]; "
                        + "p50 %.0f ms, p95 %.0f ms; month (tokens) $%,.2f [$%,.2f, $%,.2f]", model, llmBaseUrl,
                result.calls().size(), result.outcomes(), 100 * result.accuracy(), 100 * result.accuracyLow(),
                100 * result.accuracyHigh(), result.p50Ms(), result.p95Ms(), result.monthlyUsd(),
                result.monthlyLowUsd(), result.monthlyHighUsd()));
        out.println("Report: " + mdPath() + " and " + htmlPath());
        return CommandLine.ExitCode.OK;
    }

    /** Measures {@code model} at {@code baseUrl} with at most {@code budget} calls on the held-out sentences. */
    public static EndpointMeasurement.Result measure(Scenario scenario, String baseUrl, String model, String apiKey,
                                                     int budget, Duration timeout, io.bulwark.costing.PriceTable prices,
                                                     Simulator.Progress progress) throws IOException {
        List<LabelledQuery> corpus = SentimentCorpus.heldOut().stream()
                .map(t -> new LabelledQuery(t.text(), t.label())).toList();
        OpenAiSentimentProvider provider = OpenAiSentimentProvider.create(baseUrl, apiKey, model, timeout,
                OpenAiSentimentProvider.DEFAULT_MAX_TOKENS, java.time.Clock.systemUTC());
        return EndpointMeasurement.measure(scenario, baseUrl, provider, corpus, budget, timeout, prices,
                io.bulwark.resilience.Ticker.system(), progress);
    }

    private Path mdPath() {
        return Path.of(report.toString().replaceFirst("\\.(md|html?)$", "") + ".md");
    }

    private Path htmlPath() {
        return Path.of(report.toString().replaceFirst("\\.(md|html?)$", "") + ".html");
    }

    private void write(io.bulwark.sentiment.report.Document document, String title) throws IOException {
        Path md = mdPath();
        if (md.toAbsolutePath().getParent() != null) {
            Files.createDirectories(md.toAbsolutePath().getParent());
        }
        Files.writeString(md, document.markdown(), StandardCharsets.UTF_8);
        Files.writeString(htmlPath(), document.html(title, EndpointReport.CSS), StandardCharsets.UTF_8);
    }

    /** Replays {@code traffic} through the real chain with the default local model. */
    public static SimulationReport replay(Scenario scenario, TrafficFile traffic, Simulator.Progress progress) {
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        return Simulator.replay(scenario, traffic, new SentimentChainFactory(local,
                SentimentChain.Settings.defaults(Duration.ofSeconds(2)), Embedders.lazyMiniLm()), progress);
    }

    static String summary(SimulationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-50s %14s %12s %9s %8s %8s%n", "strategy", "monthly", "per 1,000",
                "accuracy", "p50", "p95"));
        sb.append(String.format(Locale.ROOT, "%-50s %14s %12s%n", "calculator baseline",
                String.format(Locale.ROOT, "$%,.2f", r.baseline().totalUsd()),
                String.format(Locale.ROOT, "$%.4f", r.baseline().per1000Queries())));
        for (StrategyResult x : r.results()) {
            sb.append(String.format(Locale.ROOT, "%-50s %14s %12s %8.1f%% %6.0fms %6.0fms%n", x.strategy().name(),
                    String.format(Locale.ROOT, "$%,.2f", x.monthlyUsd()), String.format(Locale.ROOT, "$%.4f", x.per1000Usd()),
                    100 * x.accuracy(), x.p50Ms(), x.p95Ms()));
        }
        return sb.toString();
    }
}
