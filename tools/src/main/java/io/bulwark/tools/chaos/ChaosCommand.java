package io.bulwark.tools.chaos;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.Experiment;
import io.bulwark.chaos.experiment.Scenario;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.chaos.report.HtmlReport;
import io.bulwark.chaos.report.MarkdownReport;
import io.bulwark.chaos.report.ReportContext;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.tools.HelpOption;
import io.bulwark.tools.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bulwark chaos ...}: runs chaos scenarios against the sentiment function (in this process in simulated
 * time, or over HTTP against a running local runner), prints the table, writes the Markdown and HTML reports, and
 * exits 0 only if the steady-state hypothesis held everywhere.
 */
@Command(name = ChaosCommand.NAME, sortOptions = false, sortSynopsis = false,
        header = "Runs chaos scenarios against the sentiment function and checks the steady-state hypothesis.",
        description = "Drives the sentiment function through chaos scenarios and checks the steady-state hypothesis: "
                + "well-formed answers, no 5xx, no escaped exception, p95 within the deadline, degraded answers "
                + "labelled, no wrong LLM answer, the breaker opening in an outage and closing after it.",
        footer = {"", "Exit status: 0 the hypothesis held in every scenario, 1 it failed somewhere, 2 bad arguments "
                + "or no runner to drive."})
public final class ChaosCommand implements Callable<Integer> {

    /** The command's name, the first argument of {@code bulwark}. */
    public static final String NAME = "chaos";
    /** Port of the fake LLM server for {@code --target} runs. */
    public static final int DEFAULT_LLM_PORT = 8089;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--scenario", required = true, paramLabel = "NAME", completionCandidates = ScenarioNames.class,
            description = {"${COMPLETION-CANDIDATES}, or all (the LLM's faults;",
                    "redis-killed starts a redis-server, kills and restarts it: real time, not in all)"})
    private String scenario;

    @Option(names = "--requests", paramLabel = "N",
            description = "requests per scenario (1.." + Experiment.MAX_REQUESTS + "); not with --rate")
    private Long requests;

    @Option(names = "--seed", required = true, paramLabel = "S",
            description = "seed of the faults and the traffic (an integer)")
    private long seed;

    @Option(names = "--report", required = true, paramLabel = "FILE",
            description = "Markdown report; the HTML page is written beside it (FILE.html)")
    private String report;

    @Option(names = "--target", paramLabel = "URL", description = {
            "drive a running local runner over HTTP instead of this process;",
            "start it with --bulwark.llm.base-url=http://127.0.0.1:<llm-port>/v1",
            "and --bulwark.router.enabled=false (every request meets the LLM)"})
    private String target;

    @Option(names = "--llm-port", paramLabel = "P",
            description = "port of the fake LLM server started for --target (default " + DEFAULT_LLM_PORT + ")")
    private Integer llmPort;

    @Option(names = "--deadline", paramLabel = "D", converter = Durations.class,
            description = "the runner's bulwark.sentiment.deadline, for --target (default 2s)")
    private Duration deadline;

    @Option(names = "--span", paramLabel = "D", converter = Durations.class,
            description = "spread each scenario's requests over D instead of its own span (e.g. 30s)")
    private Duration span;

    @Option(names = "--rate", paramLabel = "R", description = {
            "load mode (with --target and --duration): open-loop arrivals at R requests a second,",
            "over --connections keep-alive connections, latency from each request's due time;",
            "the fake LLM answers in " + LoadMode.LLM_MIN_MS + "-" + LoadMode.LLM_MAX_MS + " ms plus the scenario's faults"})
    private Double rate;

    @Option(names = "--duration", paramLabel = "D", converter = Durations.class,
            description = "how long a --rate run offers load (e.g. 60s)")
    private Duration duration;

    @Option(names = "--connections", paramLabel = "N", description = {
            "a --rate run's keep-alive connections to the runner (default " + LoadMode.DEFAULT_CONNECTIONS + ";",
            "0: the JDK HttpClient, a new connection for every request in flight)"})
    private Integer connections;

    @Option(names = "--p95", paramLabel = "D", converter = Durations.class,
            description = "the p95 bound of a --rate run's hypothesis (default " + LoadMode.DEFAULT_P95_MS + "ms)")
    private Duration p95;

    @Option(names = "--hedge", paramLabel = "SHARE", description = {
            "hedge the cheap tier (bulwark.llm.hedge.cheap=true) with max-share SHARE (0..1), in process only;",
            "a two-provider scenario's hedged pairs are replayed in simulated time"})
    private Double hedge;

    /** The checked arguments. */
    record Options(List<Scenario> scenarios, int requests, long seed, Path report, URI target, int llmPort,
                   Duration deadline, Duration span, io.bulwark.resilience.Hedge hedge) {
    }

    private ChaosCommand() {
    }

    @Override
    public Integer call() {
        if (rate != null || duration != null || p95 != null || connections != null) {
            return LoadMode.run(loadOptions(), commandLine(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        Options options = options();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Summary> summaries;
        try {
            summaries = options.target() == null ? inProcess(options, err) : overHttp(options, err);
        } catch (IllegalStateException e) {
            err.println(NAME + ": " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        ReportContext report = new ReportContext(commandLine(), summaries);
        String markdown = MarkdownReport.render(report);
        Path html = htmlBeside(options.report());
        try {
            Path parent = options.report().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(options.report(), markdown, StandardCharsets.UTF_8);
            Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(NAME + ": cannot write the report: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        out.print(markdown.substring(0, markdown.indexOf("\n### ")));
        out.println("Reports: " + options.report() + ", " + html);
        out.println(report.holds() ? "The steady-state hypothesis held in every scenario."
                : "The steady-state hypothesis FAILED: see the report.");
        return report.holds() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    /** The command as typed after {@code bulwark}, written into the report so that a reader can run it again. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "bin/run " + String.join(" ", args.subList(Math.max(0, args.indexOf(NAME)), args.size()));
    }

    private static List<Summary> inProcess(Options options, PrintWriter err) {
        err.println("Training the local model ...");
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        ProgressBar bar = new ProgressBar(err);
        List<Summary> summaries = new ArrayList<>();
        for (Scenario s : options.scenarios()) {
            Scenario scenario = options.span() == null ? s : s.withSpan(options.span());
            summaries.add(scenario.serverKill() != null
                    // a real server killed and restarted: real time, the server this process owns
                    ? ChaosExperiments.redisKilled(scenario, options.requests(), options.seed(), local,
                            scenario.name() + "-" + Long.toString(System.currentTimeMillis(), 36),
                            bar.task(scenario.name(), options.requests()))
                    : ChaosExperiments.inProcess(scenario, options.requests(), options.seed(), local,
                            ChaosExperiments.defaultSettings(), options.hedge(),
                            bar.task(scenario.name(), options.requests())));
        }
        return summaries;
    }

    private static List<Summary> overHttp(Options options, PrintWriter err) {
        String runTag = Long.toString(System.currentTimeMillis(), 36) + ":";
        ProgressBar bar = new ProgressBar(err);
        try (FakeLlmServer llm = FakeLlmServer.start(options.llmPort(),
                new FaultInjector(FaultPlan.none(), options.seed()), LabelSource.constant(SentimentLabel.NEUTRAL),
                Clock.systemUTC())) {
            err.println("Fake LLM at " + llm.baseUrl() + "; driving the runner at " + options.target());
            List<Summary> summaries = new ArrayList<>();
            for (Scenario s : options.scenarios()) {
                Scenario scenario = options.span() == null ? s : s.withSpan(options.span());
                long callsBefore = llm.chatCalls();
                summaries.add(ChaosExperiments.overHttp(scenario, options.requests(), options.seed(), options.target(),
                        llm, options.deadline(), ChaosExperiments.defaultOpensWithin(), scenario.name() + "-" + runTag,
                        bar.task(scenario.name(), options.requests())));
                if (llm.chatCalls() == callsBefore) {
                    throw new IllegalStateException("the runner never called the fake LLM: start it with "
                            + "--bulwark.llm.base-url=" + llm.baseUrl());
                }
            }
            return summaries;
        }
    }

    /** Checks what the parser cannot: names, ranges, and options that only apply with another. */
    Options options() {
        List<Scenario> scenarios = "all".equals(scenario) ? Scenarios.all() : List.of(Scenarios.named(scenario)
                .orElseThrow(() -> usage("unknown scenario '" + scenario + "': choose one of " + Scenarios.names()
                        + ", or all")));
        if (requests == null) {
            throw usage("Missing required option: '--requests=N' (or --rate with --duration for a load run)");
        }
        if (requests < 1 || requests > Experiment.MAX_REQUESTS) {
            throw usage("--requests must be within 1.." + Experiment.MAX_REQUESTS + ": " + requests);
        }
        if (report.isBlank() || report.endsWith("/")) {
            throw usage("--report must name a file: '" + report + "'");
        }
        URI url = target == null ? null : url(target);
        if (url != null && scenarios.stream().anyMatch(s -> s.serverKill() != null)) {
            throw usage("--scenario " + scenario + " kills a redis-server this command starts: it runs in this"
                    + " process, not with --target");
        }
        if (url != null) {
            // a runner over HTTP calls one fake LLM: the scenarios of two providers run in process only
            if (!"all".equals(scenario) && scenarios.getFirst().secondProvider().isPresent()) {
                throw usage("scenario '" + scenario + "' has two providers: it runs in process only (without --target)");
            }
            scenarios = scenarios.stream().filter(s -> s.secondProvider().isEmpty()).toList();
        }
        if (url == null && llmPort != null) {
            throw usage("--llm-port only applies with --target");
        }
        if (url == null && deadline != null) {
            throw usage("--deadline only applies with --target");
        }
        int port = llmPort == null ? DEFAULT_LLM_PORT : llmPort;
        if (port < 1 || port > 65_535) {
            throw usage("--llm-port must be within 1..65535: " + port);
        }
        if (url != null && hedge != null) {
            throw usage("--hedge applies in process only (without --target)");
        }
        io.bulwark.resilience.Hedge policy = null;
        if (hedge != null) {
            if (!(hedge >= 0 && hedge <= 1)) {
                throw usage("--hedge must be within 0..1: " + hedge);
            }
            policy = new io.bulwark.resilience.Hedge(hedge, io.bulwark.resilience.Hedge.DEFAULT_MIN_SAMPLES,
                    io.bulwark.resilience.Hedge.DEFAULT_WINDOW);
        }
        return new Options(scenarios, (int) (long) requests, seed, Path.of(report), url, port,
                deadline == null ? ChaosExperiments.DEADLINE : deadline, span, policy);
    }

    /** Checks the arguments of a load run ({@code --rate}). */
    LoadMode.Options loadOptions() {
        if (rate == null || duration == null || target == null) {
            throw usage("a load run needs --rate, --duration and --target together");
        }
        if (requests != null || span != null) {
            throw usage("--requests and --span do not apply to a load run (--rate × --duration requests)");
        }
        if (hedge != null) {
            throw usage("--hedge applies in process only (without --target)");
        }
        if (!(rate > 0 && rate <= LoadMode.MAX_RATE)) {
            throw usage("--rate must be within (0, " + LoadMode.MAX_RATE + "]: " + rate);
        }
        int pool = connections == null ? LoadMode.DEFAULT_CONNECTIONS : connections;
        if (pool < 0 || pool > LoadMode.MAX_CONNECTIONS) {
            throw usage("--connections must be within 0.." + LoadMode.MAX_CONNECTIONS + ": " + pool);
        }
        double total = rate * duration.toNanos() / 1e9;
        if (total < 1 || total > LoadMode.MAX_REQUESTS) {
            throw usage("--rate × --duration must be within 1.." + LoadMode.MAX_REQUESTS + " requests: " + total);
        }
        Scenario s = Scenarios.named(scenario).orElseThrow(() -> usage("a load run drives one scenario of "
                + Scenarios.names() + ": '" + scenario + "'"));
        if (s.secondProvider().isPresent() || s.serverKill() != null) {
            throw usage("scenario '" + scenario + "' runs in process only");
        }
        if (report.isBlank() || report.endsWith("/")) {
            throw usage("--report must name a file: '" + report + "'");
        }
        int port = llmPort == null ? DEFAULT_LLM_PORT : llmPort;
        if (port < 1 || port > 65_535) {
            throw usage("--llm-port must be within 1..65535: " + port);
        }
        return new LoadMode.Options(s, rate, duration, seed, Path.of(report), url(target), port,
                deadline == null ? ChaosExperiments.DEADLINE : deadline,
                p95 == null ? Duration.ofMillis(LoadMode.DEFAULT_P95_MS) : p95, pool);
    }

    private URI url(String value) {
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw usage("--target is not a URL: " + value);
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw usage("--target must be an http(s) URL such as http://127.0.0.1:8080: " + url);
        }
        return url;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code report.md} → {@code report.html}; any other name gets {@code .html} appended. */
    static Path htmlBeside(Path report) {
        String file = report.getFileName().toString();
        String html = file.endsWith(".md") ? file.substring(0, file.length() - 3) + ".html" : file + ".html";
        return report.resolveSibling(html);
    }

    /** The scenarios' names, for the usage. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.stream.Stream.concat(Scenarios.all().stream(), Scenarios.servers().stream())
                    .map(Scenario::name).iterator();
        }
    }
}
