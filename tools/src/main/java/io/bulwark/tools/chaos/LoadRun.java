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
 * An open-loop load run over HTTP: request {@code i} is due at {@code start + i / rate}, and one sender thread sends it
 * then without waiting for earlier answers (the JDK client opens as many connections as requests are in flight; its
 * callbacks run on virtual threads). Each request's latency is measured from the time it was <em>due</em>, not from
 * when it left, so a sender or a server that falls behind shows up as queueing in the latency instead of as requests
 * that were never offered (coordinated omission).
 */
final class LoadRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one request got: the status (0: no answer), the latency from its due time, and the answer's facts. */
    record Result(int index, int status, double latencyMs, double sendLagMs, boolean wellFormed, boolean degraded,
                  String tier, String problem) {
    }

    /** All the results of a run, in request order, and when the run's arrivals were spread over. */
    record Outcome(List<Result> results, double rate, Duration duration, double elapsedSeconds) {

        long count() {
            return results.size();
        }

        double percentile(double q) {
            double[] l = results.stream().mapToDouble(Result::latencyMs).sorted().toArray();
            return l.length == 0 ? 0 : l[Math.max(0, (int) Math.ceil(q * l.length) - 1)];
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
     * seconds after the start, each given {@code timeout} to answer, and waits for every answer.
     */
    static Outcome run(HttpClient client, URI url, double rate, Duration duration, Duration timeout,
                       IntFunction<byte[]> body, IntFunction<Void> beforeSend, java.util.function.IntConsumer progress) {
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
            long sent = System.nanoTime();
            lastSend = sent;
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.apply(i))).build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .handle((r, thrown) -> {
                        double latencyMs = (System.nanoTime() - due) / 1e6;
                        double lagMs = (sent - due) / 1e6;
                        results[index] = thrown != null
                                ? new Result(index, 0, latencyMs, lagMs, false, false, null,
                                        "no answer: " + rootCause(thrown))
                                : judge(index, r.statusCode(), r.body(), latencyMs, lagMs);
                        return null;
                    }));
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
            return new Result(index, status, latencyMs, lagMs, false, false, null, "status " + status);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            return new Result(index, status, latencyMs, lagMs, false, false, null, "body is not JSON");
        }
        JsonNode sentiment = json.path("sentiment");
        JsonNode tier = json.path("tier");
        JsonNode degraded = json.path("degraded");
        if (!sentiment.isString() || !tier.isString() || !degraded.isBoolean()) {
            return new Result(index, status, latencyMs, lagMs, false, false, null,
                    "sentiment, tier or degraded missing: " + json);
        }
        return new Result(index, status, latencyMs, lagMs, true, degraded.asBoolean(), tier.asString(), null);
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
