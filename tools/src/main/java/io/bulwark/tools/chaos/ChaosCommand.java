package io.bulwark.tools.chaos;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.Scenario;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.chaos.report.HtmlReport;
import io.bulwark.chaos.report.MarkdownReport;
import io.bulwark.chaos.report.ReportContext;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.SentimentLabel;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar bulwark.jar chaos ...}: runs chaos scenarios against the sentiment function (in this
 * process in simulated time, or over HTTP against a running local runner), prints the table, writes the
 * Markdown and HTML reports, and exits 0 only if the steady-state hypothesis held everywhere.
 */
public final class ChaosCommand {

    /** The first argument that selects this command. */
    public static final String NAME = "chaos";
    /** Port of the fake LLM server for {@code --target} runs. */
    public static final int DEFAULT_LLM_PORT = 8089;

    static final String USAGE = """
            usage: java -jar bulwark.jar chaos --scenario NAME --requests N --seed S --report FILE [options]

            Drives the sentiment function through a chaos scenario and checks the steady-state hypothesis:
            well-formed answers, no 5xx, no escaped exception, p95 within the deadline, degraded answers
            labelled, no wrong LLM answer, the breaker opening in an outage and closing after it.

              --scenario NAME  %s, or all
              --requests N     requests per scenario (1..10000000)
              --seed S         seed of the faults and the traffic (an integer)
              --report FILE    Markdown report; the HTML page is written beside it (FILE.html)
            options:
              --target URL     drive a running local runner over HTTP instead of this process; start it with
                               --bulwark.llm.base-url=http://127.0.0.1:<llm-port>/v1
                               --bulwark.router.enabled=false (so that every request meets the LLM)
              --llm-port P     port of the fake LLM server started for --target (default %d)
              --deadline D     the runner's bulwark.sentiment.deadline, for --target (default 2s)
              --span D         spread each scenario's requests over D instead of its own span (e.g. 30s)

            exit status: 0 the hypothesis held in every scenario, 1 it failed somewhere, 2 bad arguments
            """.formatted(Scenarios.names(), DEFAULT_LLM_PORT);

    /** Bad command-line arguments; the message says which. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed arguments. */
    record Options(List<Scenario> scenarios, int requests, long seed, Path report, URI target, int llmPort,
                   Duration deadline, Duration span) {
    }

    private ChaosCommand() {
    }

    /** Runs the command with {@code args} (after the word {@code chaos}); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("chaos: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        String command = "java -jar functions/target/bulwark.jar chaos " + String.join(" ", args);
        List<Summary> summaries;
        try {
            summaries = options.target() == null ? inProcess(options, err) : overHttp(options, err);
        } catch (IllegalStateException e) {
            err.println("chaos: " + e.getMessage());
            return 2;
        }
        ReportContext report = new ReportContext(command, summaries);
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
            err.println("chaos: cannot write the report: " + e.getMessage());
            return 2;
        }
        out.print(markdown.substring(0, markdown.indexOf("\n### ")));
        out.println("Reports: " + options.report() + ", " + html);
        out.println(report.holds() ? "The steady-state hypothesis held in every scenario."
                : "The steady-state hypothesis FAILED: see the report.");
        return report.holds() ? 0 : 1;
    }

    private static List<Summary> inProcess(Options options, PrintStream err) {
        err.println("Training the local model ...");
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        List<Summary> summaries = new ArrayList<>();
        for (Scenario s : options.scenarios()) {
            Scenario scenario = options.span() == null ? s : s.withSpan(options.span());
            summaries.add(ChaosExperiments.inProcess(scenario, options.requests(), options.seed(), local,
                    new ProgressBar(err, scenario.name(), options.requests())));
        }
        return summaries;
    }

    private static List<Summary> overHttp(Options options, PrintStream err) {
        String runTag = Long.toString(System.currentTimeMillis(), 36) + ":";
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
                        new ProgressBar(err, scenario.name(), options.requests())));
                if (llm.chatCalls() == callsBefore) {
                    throw new IllegalStateException("the runner never called the fake LLM: start it with "
                            + "--bulwark.llm.base-url=" + llm.baseUrl());
                }
            }
            return summaries;
        }
    }

    static Options parse(String[] args) throws UsageException {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            if (!List.of("scenario", "requests", "seed", "report", "target", "llm-port", "deadline", "span").contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (given.put(name, value) != null) {
                throw new UsageException("--" + name + " is given twice");
            }
        }
        for (String required : List.of("scenario", "requests", "seed", "report")) {
            if (!given.containsKey(required)) {
                throw new UsageException("--" + required + " is required");
            }
        }
        String name = given.get("scenario");
        List<Scenario> scenarios = "all".equals(name) ? Scenarios.all() : List.of(Scenarios.named(name)
                .orElseThrow(() -> new UsageException("unknown scenario '" + name + "': choose one of "
                        + Scenarios.names() + ", or all")));
        long requests = integer(given.get("requests"), "requests");
        if (requests < 1 || requests > io.bulwark.chaos.experiment.Experiment.MAX_REQUESTS) {
            throw new UsageException("--requests must be within 1.." + io.bulwark.chaos.experiment.Experiment.MAX_REQUESTS
                    + ": " + requests);
        }
        long seed = integer(given.get("seed"), "seed");
        String reportName = given.get("report");
        if (reportName.isBlank() || reportName.endsWith("/")) {
            throw new UsageException("--report must name a file: '" + reportName + "'");
        }
        URI target = null;
        if (given.containsKey("target")) {
            try {
                target = URI.create(given.get("target"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--target is not a URL: " + given.get("target"));
            }
            if (!("http".equals(target.getScheme()) || "https".equals(target.getScheme())) || target.getHost() == null) {
                throw new UsageException("--target must be an http(s) URL such as http://127.0.0.1:8080: " + target);
            }
        }
        for (String httpOnly : List.of("llm-port", "deadline")) {
            if (target == null && given.containsKey(httpOnly)) {
                throw new UsageException("--" + httpOnly + " only applies with --target");
            }
        }
        long port = given.containsKey("llm-port") ? integer(given.get("llm-port"), "llm-port") : DEFAULT_LLM_PORT;
        if (port < 1 || port > 65_535) {
            throw new UsageException("--llm-port must be within 1..65535: " + port);
        }
        Duration deadline = given.containsKey("deadline") ? duration(given.get("deadline"), "deadline")
                : ChaosExperiments.DEADLINE;
        Duration span = given.containsKey("span") ? duration(given.get("span"), "span") : null;
        return new Options(scenarios, (int) requests, seed, Path.of(reportName), target, (int) port, deadline, span);
    }

    private static long integer(String value, String option) throws UsageException {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + option + " must be an integer: '" + value + "'");
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** Parses {@code 1500ms}, {@code 2s}, {@code 1m}; positive only. */
    static Duration duration(String value, String option) throws UsageException {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("--" + option + " must be a duration such as 1500ms, 2s or 1m: '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.isZero()) {
            throw new UsageException("--" + option + " must be positive: '" + value + "'");
        }
        return d;
    }

    /** {@code report.md} → {@code report.html}; any other name gets {@code .html} appended. */
    static Path htmlBeside(Path report) {
        String file = report.getFileName().toString();
        String html = file.endsWith(".md") ? file.substring(0, file.length() - 3) + ".html" : file + ".html";
        return report.resolveSibling(html);
    }
}
