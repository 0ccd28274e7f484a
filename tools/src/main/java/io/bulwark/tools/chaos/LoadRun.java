package io.bulwark.tools.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An open-loop load run over HTTP: request {@code i} is due at {@code start + i / rate}, and one sender thread hands it
 * over then without waiting for earlier answers (to a {@link KeepAlivePool}, or to the JDK client, which opens as many
 * connections as requests are in flight). Each request's latency is measured from the time it was <em>due</em>, not from
 * when it left, so a sender or a server that falls behind shows up as queueing in the latency instead of as requests
 * that were never offered (coordinated omission).
 */
final class LoadRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What one request got: the status (0: no answer), the latency from its due time, how late the sender sent it,
     * and the answer's facts ({@code serverMs}: the {@code latency_ms} the runner wrote in its answer, NaN without
     * one; {@code fallback} and {@code cache} as answered, null when absent).
     */
    record Result(int index, int status, double latencyMs, double sendLagMs, boolean wellFormed, boolean degraded,
                  String tier, String fallback, String cache, double serverMs, String problem) {

        Result(int index, int status, double latencyMs, double sendLagMs, String problem) {
            this(index, status, latencyMs, sendLagMs, false, false, null, null, null, Double.NaN, problem);
        }
    }

    /**
     * The latency of one group of requests (e.g. one tier and cause): how many, their share of the run, the
     * percentiles of the latency from the due time, of the sender's lag and of the runner's own {@code latency_ms},
     * and how many were over the run's p95 bound.
     */
    record Group(String name, long count, double share, double p50Ms, double p95Ms, double p99Ms, double lagP95Ms,
                 double serverP95Ms, long overBound) {

        static Group of(String name, List<Result> results, long runCount, double boundMs) {
            double[] latency = results.stream().mapToDouble(Result::latencyMs).sorted().toArray();
            double[] lag = results.stream().mapToDouble(Result::sendLagMs).sorted().toArray();
            double[] server = results.stream().mapToDouble(Result::serverMs).filter(d -> !Double.isNaN(d)).sorted()
                    .toArray();
            return new Group(name, results.size(), (double) results.size() / Math.max(1, runCount),
                    percentile(latency, 0.5), percentile(latency, 0.95), percentile(latency, 0.99),
                    percentile(lag, 0.95), server.length == 0 ? Double.NaN : percentile(server, 0.95),
                    results.stream().filter(r -> r.latencyMs() > boundMs).count());
        }
    }

    /** All the results of a run, in request order, and when the run's arrivals were spread over. */
    record Outcome(List<Result> results, double rate, Duration duration, double elapsedSeconds) {

        long count() {
            return results.size();
        }

        double percentile(double q) {
            return LoadRun.percentile(results.stream().mapToDouble(Result::latencyMs).sorted().toArray(), q);
        }

        /** The {@code q} quantile of the sender's lag (due time to sent time), in ms. */
        double sendLagPercentile(double q) {
            return LoadRun.percentile(results.stream().mapToDouble(Result::sendLagMs).sorted().toArray(), q);
        }

        /** The {@code q} quantile of the {@code latency_ms} the runner wrote in its answers (NaN if none did). */
        double serverPercentile(double q) {
            double[] s = results.stream().mapToDouble(Result::serverMs).filter(d -> !Double.isNaN(d)).sorted()
                    .toArray();
            return s.length == 0 ? Double.NaN : LoadRun.percentile(s, q);
        }

        /**
         * The results grouped by {@code key} (a null key: left out), largest share of requests over {@code boundMs}
         * first, then largest group: where the tail comes from.
         */
        List<Group> groups(java.util.function.Function<Result, String> key, double boundMs) {
            Map<String, List<Result>> byKey = new TreeMap<>();
            for (Result r : results) {
                String k = key.apply(r);
                if (k != null) {
                    byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
                }
            }
            return byKey.entrySet().stream().map(e -> Group.of(e.getKey(), e.getValue(), count(), boundMs))
                    .sorted(java.util.Comparator.comparingLong(Group::overBound).reversed()
                            .thenComparing(java.util.Comparator.comparingLong(Group::count).reversed()))
                    .toList();
        }

        double maxSendLagMs() {
            return results.stream().mapToDouble(Result::sendLagMs).max().orElse(0);
        }

        long fiveXx() {
            return results.stream().filter(r -> r.status() >= 500).count();
        }

        long noAnswer() {
            return results.stream().filter(r -> r.status() == 0).count();
        }

        long malformed() {
            return results.stream().filter(r -> !r.wellFormed()).count();
        }

        long degraded() {
            return results.stream().filter(r -> r.wellFormed() && r.degraded()).count();
        }

        Map<String, Long> tiers() {
            Map<String, Long> tiers = new TreeMap<>();
            results.stream().filter(Result::wellFormed).forEach(r -> tiers.merge(r.tier(), 1L, Long::sum));
            return tiers;
        }

        String firstProblem() {
            return results.stream().map(Result::problem).filter(p -> p != null).findFirst().orElse("none");
        }

        /** The achieved arrival rate: requests over the time from the first due time to the last send. */
        double achievedRate() {
            return elapsedSeconds <= 0 ? 0 : count() / elapsedSeconds;
        }
    }

    private LoadRun() {
    }

    /**
     * Sends {@code rate × duration} POSTs of {@code body(i)} to {@code url}, request {@code i} due at {@code i / rate}
     * seconds after the start, each given {@code timeout} to answer, and waits for every answer: the JDK client, a
     * connection per request in flight.
     */
    static Outcome run(HttpClient client, URI url, double rate, Duration duration, Duration timeout,
                       IntFunction<byte[]> body, IntFunction<Void> beforeSend, java.util.function.IntConsumer progress) {
        return run((index, due, bytes) -> {
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((r, thrown) -> {
                        double latencyMs = (System.nanoTime() - due) / 1e6;
                        double lagMs = (sent - due) / 1e6;
                        return thrown != null
                                ? new Result(index, 0, latencyMs, lagMs, "no answer: " + rootCause(thrown))
                                : judge(index, r.statusCode(), r.body(), latencyMs, lagMs);
                    });
        }, rate, duration, body, beforeSend, progress);
    }

    /**
     * As {@link #run(HttpClient, URI, double, Duration, Duration, IntFunction, IntFunction, java.util.function.IntConsumer)}
     * over {@code pool}'s keep-alive connections: a request due while every connection is busy waits for one, and
     * that wait is its sender's lag.
     */
    static Outcome run(KeepAlivePool pool, double rate, Duration duration, IntFunction<byte[]> body,
                       IntFunction<Void> beforeSend, java.util.function.IntConsumer progress) {
        return run((index, due, bytes) -> pool.post(bytes).thenApply(a -> {
            double latencyMs = (System.nanoTime() - due) / 1e6;
            double lagMs = (a.sentNanos() - due) / 1e6;
            return a.status() == 0 ? new Result(index, 0, latencyMs, lagMs, "no answer: " + a.problem())
                    : judge(index, a.status(), a.body(), latencyMs, lagMs);
        }), rate, duration, body, beforeSend, progress);
    }

    /** Sends one request due at {@code due} (a {@link System#nanoTime()}); the future completes with its result. */
    @FunctionalInterface
    interface Dispatch {
        CompletableFuture<Result> send(int index, long due, byte[] body);
    }

    private static Outcome run(Dispatch dispatch, double rate, Duration duration, IntFunction<byte[]> body,
                               IntFunction<Void> beforeSend, java.util.function.IntConsumer progress) {
        if (!(rate > 0) || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("rate and duration must be positive: " + rate + ", " + duration);
        }
        int n = (int) Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        double intervalNanos = 1e9 / rate;
        Result[] results = new Result[n];
        List<CompletableFuture<Void>> pending = new ArrayList<>(n);
        long start = System.nanoTime() + 20_000_000; // 20 ms to get going
        long lastSend = start;
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            beforeSend.apply(i);
            if (i > 0 && i % (int) Math.max(1, rate * 10) == 0) {
                progress.accept(i);
            }
            int index = i;
            lastSend = System.nanoTime();
            pending.add(dispatch.send(i, due, body.apply(i)).thenAccept(r -> results[index] = r));
        }
        double elapsed = (lastSend - start) / 1e9 + 1 / rate;
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return new Outcome(Arrays.asList(results), rate, duration, elapsed);
    }

    /** Returns a client for load runs: HTTP/1.1 (a connection per request in flight), callbacks on virtual threads. */
    static HttpClient client(ExecutorService executor) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .executor(executor).build();
    }

    /** Returns an executor that runs each task on its own virtual thread. */
    static ExecutorService virtualThreads() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /** The {@code q} quantile (nearest rank) of {@code sorted}; 0 if it is empty. */
    static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String rootCause(Throwable thrown) {
        Throwable t = thrown;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /** A 200 whose body has the contract's sentiment, tier and degraded fields is well-formed; anything else is not. */
    static Result judge(int index, int status, byte[] body, double latencyMs, double lagMs) {
        if (status != 200) {
            return new Result(index, status, latencyMs, lagMs, "status " + status);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            return new Result(index, status, latencyMs, lagMs, "body is not JSON");
        }
        JsonNode sentiment = json.path("sentiment");
        JsonNode tier = json.path("tier");
        JsonNode degraded = json.path("degraded");
        if (!sentiment.isString() || !tier.isString() || !degraded.isBoolean()) {
            return new Result(index, status, latencyMs, lagMs, "sentiment, tier or degraded missing: " + json);
        }
        JsonNode fallback = json.path("fallback");
        JsonNode cache = json.path("cache");
        JsonNode server = json.path("latency_ms");
        return new Result(index, status, latencyMs, lagMs, true, degraded.asBoolean(), tier.asString(),
                fallback.isString() ? fallback.asString() : null, cache.isString() ? cache.asString() : null,
                server.isNumber() ? server.asDouble() : Double.NaN, null);
    }

    /** Shuts {@code executor} down and waits a little for its tasks. */
    static void close(ExecutorService executor) {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
