package io.bulwark.tools.chaos;

import io.bulwark.chaos.classifier.ClassifierHypothesis;
import io.bulwark.chaos.classifier.ClassifierReply;
import io.bulwark.chaos.classifier.ClassifierScenario;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Percentiles;
import io.bulwark.models.ClassifierBoundary;
import io.bulwark.tools.HelpOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bulwark chaos-classifier ...}: runs the classifier chaos scenarios ({@link ClassifierScenario}) against the
 * penguin classifier's error boundary in this process, in real time, prints and writes a Markdown report, and exits
 * 0 only if the steady-state hypothesis ({@link ClassifierHypothesis}) held everywhere.
 */
@Command(name = ChaosClassifierCommand.NAME, sortOptions = false,
        header = "Runs classifier chaos scenarios (slow, unloadable, corrupt version, burst) and checks the hypothesis.",
        footer = {"", "Exit status: 0 the hypothesis held in every scenario, 1 it failed somewhere, 2 bad arguments."})
public final class ChaosClassifierCommand implements Callable<Integer> {

    public static final String NAME = "chaos-classifier";

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--scenario", required = true, paramLabel = "NAME",
            description = "classifier-healthy, classifier-slow-inference, classifier-fails-to-load, "
                    + "classifier-corrupt-version, classifier-burst, or all")
    private String scenario;

    @Option(names = "--requests", required = true, paramLabel = "N", description = "requests per scenario (1..100000)")
    private int requests;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "seed of the rows and the garbage bytes")
    private long seed;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "Markdown report")
    private Path report;

    private ChaosClassifierCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ClassifierScenario> scenarios;
        if ("all".equals(scenario)) {
            scenarios = ClassifierScenario.all();
        } else {
            var named = ClassifierScenario.named(scenario);
            if (named.isEmpty()) {
                err.println(NAME + ": unknown scenario '" + scenario + "'");
                return CommandLine.ExitCode.USAGE;
            }
            scenarios = List.of(named.get());
        }
        if (requests < 1 || requests > 100_000) {
            err.println(NAME + ": --requests must be 1..100000: " + requests);
            return CommandLine.ExitCode.USAGE;
        }
        Path work = Files.createTempDirectory("bulwark-chaos-classifier");
        err.println("Training v1 and v2 in " + work + " ...");
        ClassifierChaos chaos = new ClassifierChaos(work, ClassifierBoundary.Settings.defaults());
        List<ClassifierChaos.Run> runs = new ArrayList<>();
        for (ClassifierScenario s : scenarios) {
            err.println("Scenario " + s.name() + " ...");
            runs.add(chaos.run(s, requests, seed, work));
        }
        String markdown = render(runs);
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(report, markdown, StandardCharsets.UTF_8);
        out.print(markdown);
        boolean holds = runs.stream().allMatch(ClassifierChaos.Run::holds);
        out.println(holds ? "The steady-state hypothesis held in every scenario."
                : "The steady-state hypothesis FAILED: see the report.");
        return holds ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    private String render(List<ClassifierChaos.Run> runs) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder md = new StringBuilder();
        ClassifierBoundary.Settings s = runs.getFirst().settings();
        md.append("Command: `bin/run ").append(String.join(" ", args.subList(Math.max(0, args.indexOf(NAME)),
                args.size()))).append("`; boundary: deadline ").append(s.deadline().toMillis())
                .append(" ms, attempt timeout ").append(s.attemptTimeout().toMillis()).append(" ms, bulkhead ")
                .append(s.maxConcurrent()).append(" (wait ").append(s.queueWait().toMillis()).append(" ms), breaker per"
                        + " version: opens at ").append(Math.round(s.breaker().failureRateThreshold())).append("% of ")
                .append(s.breaker().slidingWindowSize()).append(" calls (min ").append(s.breaker().minimumNumberOfCalls())
                .append("), open ").append(s.breaker().waitInOpenState().toSeconds()).append(" s\n\n");
        md.append("| scenario | requests | answered | by fallback | degraded | refused (503 server_busy) | p50 ms | "
                + "p95 ms | p99 ms | v2 model file reads | v2 predictions | v2 bulkhead ms | v2 breaker | hypothesis |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ClassifierChaos.Run r : runs) {
            List<ClassifierReply> rs = r.replies();
            Percentiles p = Percentiles.of(rs.stream().mapToDouble(ClassifierReply::latencyMs).toArray());
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %.0f |"
                            + " %s | %s |%n",
                    r.scenario().name(), rs.size(), rs.stream().filter(ClassifierReply::answered).count(),
                    rs.stream().filter(x -> x.answered() && x.fallback() != null && !x.degraded()).count(),
                    rs.stream().filter(ClassifierReply::degraded).count(),
                    rs.stream().filter(x -> x.status() == 503 && "server_busy".equals(x.error())).count(),
                    p.at(0.5), p.at(0.95), p.at(0.99), r.faulted().reads(), r.faulted().attempts(),
                    r.faulted().bulkheadMs(), r.faulted().breaker().toLowerCase(Locale.ROOT),
                    r.holds() ? "held" : "FAILED"));
        }
        for (ClassifierChaos.Run r : runs) {
            md.append("\n#### ").append(r.scenario().name()).append("\n\n").append(r.scenario().summary())
                    .append(r.scenario().faults().isEmpty() ? "" : " (" + String.join("; ", r.scenario().faults()
                            .stream().map(f -> f.describe()).toList()) + ")").append(".\n\n");
            r.replies().stream().filter(x -> x.fallback() != null).findFirst().ifPresent(x -> md
                    .append("A fallback answer: `").append(x.fallback()).append("`\n\n"));
            md.append("| clause | verdict | detail |\n|---|---|---|\n");
            for (Check c : r.checks()) {
                md.append("| ").append(c.name()).append(" | ").append(c.verdict()).append(" | ").append(c.detail())
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
