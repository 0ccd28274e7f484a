package io.bulwark.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * An open-loop sender for {@code POST /digits} (BENCHMARKS.md, "`/digits`: seed 004's burst"): requests leave on a
 * fixed schedule, RATE a second for SECONDS, whether or not earlier ones have been answered, each with a PNG body from
 * DIR in turn. Latency is counted from the moment a request was due to leave, so a server that falls behind is not
 * hidden by a sender that waits (no coordinated omission). Prints the achieved send rate, the latency percentiles and
 * the count of each status, 503s with {@code Retry-After} apart, and errors (connection failures, timeouts).
 * <pre>
 * OpenLoopDigits URL DIR RATE SECONDS [WARMUP_SECONDS]   e.g. OpenLoopDigits http://127.0.0.1:18462 /tmp/dl/pngs 500 10
 * </pre>
 * WARMUP_SECONDS: first that many seconds at 100 requests a second (the sender's own JIT and connections warm), then
 * 20 s idle, then the measured run.
 * Plain JDK ({@link HttpClient}, HTTP/1.1: it opens as many connections as requests are in flight).
 */
public final class OpenLoopDigits {

    private OpenLoopDigits() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: OpenLoopDigits URL DIR RATE SECONDS [WARMUP_SECONDS]");
            System.exit(2);
        }
        URI uri = URI.create(args[0].replaceAll("/$", "") + "/digits");
        List<byte[]> bodies = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                bodies.add(Files.readAllBytes(p));
            }
        }
        if (bodies.isEmpty()) {
            throw new IOException("no .png in " + args[1]);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        if (args.length == 5) {
            System.out.println("warm-up:");
            run(client, uri, bodies, 100, Integer.parseInt(args[4]));
            Thread.sleep(20_000);
            System.out.println("measured:");
        }
        run(client, uri, bodies, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }

    private static void run(HttpClient client, URI uri, List<byte[]> bodies, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong retryAfter = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        long start = System.nanoTime();
        long lastSent = start;
        for (int i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                latencies[index] = System.nanoTime() - due;
                String key = e != null ? "error " + rootCause(e).getClass().getSimpleName() : "status " + r.statusCode();
                statuses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                if (r != null && r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                    retryAfter.incrementAndGet();
                }
                return null;
            }));
            lastSent = System.nanoTime();
        }
        double sendSeconds = (lastSent - start) / 1e9;
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        double allSeconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        System.out.printf("sent %d requests in %.2f s: %.1f req/s offered; all answered after %.2f s%n", total,
                sendSeconds, total / sendSeconds, allSeconds);
        System.out.printf("latency from the due time: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        new TreeMap<>(statuses).forEach((k, v) -> System.out.printf("%s: %d%n", k, v.get()));
        System.out.printf("503 with Retry-After: %d%n", retryAfter.get());
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
