package io.bulwark.tools.chaos;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.Latency;
import io.bulwark.chaos.experiment.Scenario;
import io.bulwark.chaos.experiment.Traffic;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code bulwark chaos --rate R --duration D --target URL ...}: a load run over HTTP. The fake LLM answers after
 * {@value #LLM_MIN_MS}–{@value #LLM_MAX_MS} ms with the scenario's faults; {@link LoadRun} offers open-loop arrivals at
 * the rate; the steady-state hypothesis is held over the run's observations (p95 within the bound, no 5xx, no
 * malformed or missing answer), with the degraded share reported, and the runner's heap and live threads read from its
 * metrics (an operator page: {@code BULWARK_ADMIN_TOKEN}) before and after.
 */
final class LoadMode {

    /** The fake LLM's fastest and slowest answers in a load run. */
    static final int LLM_MIN_MS = 200;
    static final int LLM_MAX_MS = 400;
    /** Seed 003's post-workshop goal: p95 within 500 ms. */
    static final long DEFAULT_P95_MS = 500;
    static final double MAX_RATE = 20_000;
    /**
     * Keep-alive connections of the sender by default: 1,000 req/s at the LLM path's 200-400 ms is about 300 in
     * flight, and more than Tomcat's 200 workers would only wait in the runner.
     */
    static final int DEFAULT_CONNECTIONS = 256;
    static final int MAX_CONNECTIONS = 10_000;
    static final long MAX_REQUESTS = 2_000_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The checked arguments of a load run. */
    record Options(Scenario scenario, double rate, Duration duration, long seed, Path report, URI target, int llmPort,
                   Duration deadline, Duration p95, int connections) {
    }

    /** The runner's heap in use (MB) and live threads at one moment. */
    record Jvm(double heapMb, double threads) {
        static Jvm of(HttpTarget target) {
            return new Jvm(target.metric("jvm.memory.used", "area:heap") / (1024 * 1024),
                    target.metric("jvm.threads.live", null));
        }

        /** Reads them after a run, when the runner may still be draining: a few tries, NaN if it never answers. */
        static Jvm after(HttpTarget target, PrintWriter err) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return of(target);
                } catch (IllegalStateException e) {
                    err.println("reading the runner's metrics after the run: " + e.getMessage());
                    if (attempt == 3) {
                        return new Jvm(Double.NaN, Double.NaN);
                    }
                }
            }
        }
    }

    private LoadMode() {
    }

    static int run(Options options, String commandLine, PrintWriter out, PrintWriter err) {
        FaultPlan plan = withBaseLatency(options.scenario().plan(),
                Latency.uniform(Duration.ofMillis(LLM_MIN_MS), Duration.ofMillis(LLM_MAX_MS)));
        FaultInjector injector = new FaultInjector(plan, options.seed());
        Traffic traffic = new Traffic(ChaosExperiments.corpus(), Traffic.DEFAULT_REPEAT_SHARE, options.seed(),
                options.scenario().name() + "-" + Long.toString(System.currentTimeMillis(), 36) + ":");
        String markdown;
        boolean holds;
        ExecutorService threads = LoadRun.virtualThreads();
        try (FakeLlmServer llm = FakeLlmServer.start(options.llmPort(), injector, traffic.truth(), Clock.systemUTC());
             HttpTarget target = new HttpTarget(options.target(), options.deadline().multipliedBy(5));
             HttpClient client = LoadRun.client(threads)) {
            llm.keepCallLog();
            err.println("Fake LLM at " + llm.baseUrl() + "; offering " + options.rate() + " req/s for "
                    + options.duration().toSeconds() + " s to " + options.target());
            Jvm before = Jvm.of(target);
            double skippedBefore = semanticSkipped(target);
            String breakerBefore = target.readBreaker();
            long started = System.nanoTime();
            long n = Math.round(options.rate() * options.duration().toNanos() / 1e9);
            String[] texts = new String[(int) n];
            java.util.function.IntFunction<byte[]> body =
                    i -> JSON.writeValueAsBytes(Map.of("text", texts[i] = traffic.next(i).text()));
            java.util.function.IntFunction<Void> beforeSend = i -> {
                injector.position((double) i / n);
                return null;
            };
            java.util.function.IntConsumer progress = i -> err.println(LoadRun.format(
                    "%d of %d requests sent after %.1f s", i, n, (System.nanoTime() - started) / 1e9));
            URI url = options.target().resolve("/sentiment");
            LoadRun.Outcome outcome;
            if (options.connections() == 0) {
                outcome = LoadRun.run(client, url, options.rate(), options.duration(),
                        options.deadline().multipliedBy(5), body, beforeSend, progress);
            } else {
                try (KeepAlivePool pool = new KeepAlivePool(url, options.connections(),
                        options.deadline().multipliedBy(5))) {
                    outcome = LoadRun.run(pool, options.rate(), options.duration(), body, beforeSend, progress);
                }
            }
            Jvm after = Jvm.after(target, err);
            double skipped = semanticSkipped(target) - skippedBefore;
            java.util.function.Function<LoadRun.Result, String> cause = r -> cause(r, texts[r.index()] == null
                    ? List.of() : llm.callsFor(texts[r.index()]));
            String breakerAfter;
            try {
                breakerAfter = target.readBreaker();
            } catch (IllegalStateException e) {
                breakerAfter = "unknown (" + e.getMessage() + ")";
            }
            if (llm.chatCalls() == 0) {
                err.println(ChaosCommand.NAME + ": the runner never called the fake LLM: start it with "
                        + "--bulwark.llm.base-url=" + llm.baseUrl() + " and --bulwark.router.enabled=false");
                return CommandLine.ExitCode.USAGE;
            }
            List<String> checks = checks(outcome, options.p95());
            holds = checks.stream().allMatch(c -> c.startsWith("- holds"));
            markdown = report(options, commandLine, plan, outcome, checks, before, after, breakerBefore, breakerAfter,
                    llm.chatCalls(), injector.injected(), skipped, outcome.groups(cause, options.p95().toMillis()));
        } catch (IllegalStateException e) {
            err.println(ChaosCommand.NAME + ": " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } finally {
            LoadRun.close(threads);
        }
        try {
            Path parent = options.report().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(options.report(), markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(ChaosCommand.NAME + ": cannot write the report: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        out.print(markdown);
        out.println("Report: " + options.report());
        return holds ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }

    /** The clauses of the hypothesis over a load run, each a Markdown list item starting "- holds" or "- FAILS". */
    static List<String> checks(LoadRun.Outcome o, Duration p95Bound) {
        List<String> checks = new ArrayList<>();
        double p95 = o.percentile(0.95);
        checks.add(item(p95 <= p95Bound.toMillis(), "p95-within-bound", LoadRun.format("p95 %.0f ms, bound %d ms",
                p95, p95Bound.toMillis())));
        checks.add(item(o.fiveXx() == 0, "no-5xx", o.fiveXx() + " responses with a 5xx"));
        checks.add(item(o.malformed() == 0, "well-formed", o.malformed() + " of " + o.count()
                + " not a 200 by the contract (" + o.noAnswer() + " without an answer); first: " + o.firstProblem()));
        return checks;
    }

    private static String item(boolean held, String name, String detail) {
        return "- " + (held ? "holds" : "FAILS") + " `" + name + "`: " + detail;
    }

    private static String report(Options options, String commandLine, FaultPlan plan, LoadRun.Outcome o,
                                 List<String> checks, Jvm before, Jvm after, String breakerBefore,
                                 String breakerAfter, long llmCalls, Map<String, Long> injected,
                                 double semanticSkipped, List<LoadRun.Group> causes) {
        StringBuilder md = new StringBuilder();
        md.append("## Load run: ").append(options.scenario().name()).append(" at ")
                .append(LoadRun.format("%.0f", options.rate())).append(" req/s for ")
                .append(options.duration().toSeconds()).append(" s over HTTP against ").append(options.target())
                .append("\n\n```bash\n").append(commandLine).append("\n```\n\n");
        md.append("- fake LLM: ").append(String.join("; ", plan.describe())).append('\n');
        md.append("- provider calls: ").append(llmCalls).append(" — ").append(injected).append('\n');
        md.append(LoadRun.format("- offered %d requests at %.0f req/s; achieved arrival rate %.1f req/s; the sender "
                        + "(%s) was at most %.1f ms late%n", o.count(), o.rate(), o.achievedRate(),
                options.connections() == 0 ? "the JDK HttpClient, a connection per request in flight"
                        : options.connections() + " keep-alive connections", o.maxSendLagMs()));
        md.append(LoadRun.format("- latency from the due time: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                o.percentile(0.5), o.percentile(0.95), o.percentile(0.99), o.percentile(1.0)));
        md.append(LoadRun.format("- of which the sender's lag (due time to sent time): p50 %.1f ms, p95 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms; the runner's own `latency_ms` (in its answers): p50 %.0f ms, "
                        + "p95 %.0f ms, p99 %.0f ms%n", o.sendLagPercentile(0.5), o.sendLagPercentile(0.95),
                o.sendLagPercentile(0.99), o.maxSendLagMs(), o.serverPercentile(0.5), o.serverPercentile(0.95),
                o.serverPercentile(0.99)));
        md.append(LoadRun.format("- errors: %d 5xx, %d not by the contract, %d without an answer; degraded %d (%.1f%%)"
                        + "; answers by tier %s%n", o.fiveXx(), o.malformed(), o.noAnswer(), o.degraded(),
                100.0 * o.degraded() / Math.max(1, o.count()), o.tiers()));
        md.append(LoadRun.format("- runner before: heap used %.0f MB, %.0f live threads, breaker %s; after: heap used "
                        + "%.0f MB, %.0f live threads, breaker %s%n", before.heapMb(), before.threads(), breakerBefore,
                after.heapMb(), after.threads(), breakerAfter));
        md.append(LoadRun.format("- semantic cache skipped (the embedder at its bound) during the run: %.0f%n",
                semanticSkipped));
        md.append("\nWhere the latency comes from: answers by tier (fallback) and what the fake LLM did to the "
                + "request's text (each provider call, in order; `ok`: an ordinary answer), largest share over the "
                + "bound first. `lag p95`: the sender's; `runner p95`: the runner's own `latency_ms`.\n\n");
        md.append(LoadRun.format("| tier (fallback) ← provider calls | requests | share | p50 ms | p95 ms | p99 ms "
                + "| lag p95 ms | runner p95 ms | over %d ms |%n", options.p95().toMillis()));
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadRun.Group g : causes) {
            md.append(LoadRun.format("| %s | %d | %.1f%% | %.0f | %.0f | %.0f | %.0f | %.0f | %d |%n", g.name(),
                    g.count(), 100 * g.share(), g.p50Ms(), g.p95Ms(), g.p99Ms(), g.lagP95Ms(), g.serverP95Ms(),
                    g.overBound()));
        }
        md.append("\nSteady-state hypothesis:\n\n");
        checks.forEach(c -> md.append(c).append('\n'));
        md.append('\n').append(checks.stream().allMatch(c -> c.startsWith("- holds"))
                ? "The steady-state hypothesis held.\n" : "The steady-state hypothesis FAILED.\n");
        return md.toString();
    }

    /**
     * The group of one request in the report's breakdown: its tier and fallback as answered, and what the provider
     * did to its text ({@code calls}: the fake LLM's fault codes, in call order); a cache hit is its own group.
     */
    static String cause(LoadRun.Result r, List<String> calls) {
        if (!r.wellFormed()) {
            return r.status() == 0 ? "no answer" : "not by the contract (status " + r.status() + ")";
        }
        if (r.cache() != null) {
            return "cache (" + r.cache() + ")";
        }
        String answered = r.tier() + (r.fallback() == null ? "" : " (" + r.fallback() + ")");
        if (calls.isEmpty()) {
            return answered + " ← no provider call";
        }
        return answered + " ← " + String.join(" → ", calls.stream().map(c -> c.equals("none") ? "ok"
                : c.startsWith("malformed_") ? "malformed" : c).toList());
    }

    /** The runner's count of requests that skipped the semantic cache; NaN if it has none (the cache is off). */
    private static double semanticSkipped(HttpTarget target) {
        try {
            return target.metric("bulwark.cache.semantic.skipped", null);
        } catch (IllegalStateException e) {
            return Double.NaN;
        }
    }

    /** Returns {@code plan} with its base latency replaced by {@code base}; its fault rules are kept as they are. */
    static FaultPlan withBaseLatency(FaultPlan plan, Latency base) {
        FaultPlan.Builder b = FaultPlan.builder().baseLatency(base);
        for (FaultPlan.Rule rule : plan.rules()) {
            b.during(rule.schedule());
            rule.faults().forEach(w -> b.inject(w.probability(), w.fault()));
        }
        return b.build();
    }
}
