package io.bulwark.tools.chaos;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class LoadRunTest {

    private static final byte[] ANSWER = "{\"sentiment\":\"neutral\",\"tier\":\"llm-cheap\",\"degraded\":false}"
            .getBytes(StandardCharsets.UTF_8);

    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = LoadRun.virtualThreads();
    private HttpServer server;

    /** A loopback server answering the contract's fields; it stalls {@code stallMs} once, on the first request. */
    private URI serve(long stallMs, boolean concurrent) throws IOException {
        return serve(stallMs, concurrent, false);
    }

    /** As above; {@code chunkedEveryTenthClose}: answers in chunks and closes every tenth connection after it. */
    private URI serve(long stallMs, boolean concurrent, boolean chunkedEveryTenthClose) throws IOException {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        AtomicBoolean stalled = new AtomicBoolean();
        server.createContext("/sentiment", exchange -> {
            arrivals.add(System.nanoTime());
            exchange.getRequestBody().readAllBytes();
            if (stallMs > 0 && stalled.compareAndSet(false, true)) {
                try {
                    Thread.sleep(stallMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (chunkedEveryTenthClose) {
                if (count.incrementAndGet() % 10 == 0) {
                    exchange.getResponseHeaders().set("Connection", "close");
                }
                exchange.sendResponseHeaders(200, 0); // chunked
                exchange.getResponseBody().write(ANSWER, 0, 10);
                exchange.getResponseBody().flush();
                exchange.getResponseBody().write(ANSWER, 10, ANSWER.length - 10);
            } else {
                exchange.sendResponseHeaders(200, ANSWER.length);
                exchange.getResponseBody().write(ANSWER);
            }
            exchange.close();
        });
        // one thread (the dispatcher) answers one request at a time: a stall queues every request behind it
        server.setExecutor(concurrent ? Executors.newVirtualThreadPerTaskExecutor() : null);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sentiment");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        LoadRun.close(threads);
    }

    @Test
    void should_send_at_the_rate_without_waiting_for_answers() throws Exception {
        URI url = serve(0, true);
        LoadRun.Outcome outcome;
        long start;
        try (HttpClient client = LoadRun.client(threads)) {
            // a warm client (its first exchange loads classes for a while), as in a long run
            client.send(java.net.http.HttpRequest.newBuilder(url).POST(java.net.http.HttpRequest.BodyPublishers
                    .ofString("{}")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            arrivals.clear();
            start = System.nanoTime();
            outcome = LoadRun.run(client, url, 200, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    i -> "{}".getBytes(StandardCharsets.UTF_8), i -> null, i -> { });
        }

        assertThat(outcome.count()).isEqualTo(400);
        assertThat(arrivals).hasSize(400);
        // never before its due time, so spread over the two seconds and not sent in a burst; a loaded machine can
        // only make the sender late (the lag is in each latency), and even then it keeps up on the whole
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.sendLagMs()).isGreaterThanOrEqualTo(0));
        long first = arrivals.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat((last - first) / 1e9).isGreaterThanOrEqualTo(1.9);
        assertThat(first - start).isLessThan(1_000_000_000L);
        assertThat(outcome.achievedRate()).isBetween(100.0, 205.0);
        assertThat(outcome.malformed()).isZero();
        assertThat(outcome.tiers()).containsEntry("llm-cheap", 400L);
    }

    @Test
    void should_measure_latency_from_the_due_time_so_a_stall_shows_in_the_queued_requests() throws Exception {
        URI url = serve(300, false);
        LoadRun.Outcome outcome;
        try (HttpClient client = LoadRun.client(threads)) {
            outcome = LoadRun.run(client, url, 100, Duration.ofSeconds(1), Duration.ofSeconds(10),
                    i -> "{}".getBytes(StandardCharsets.UTF_8), i -> null, i -> { });
        }

        List<LoadRun.Result> results = outcome.results();
        assertThat(results).hasSize(100);
        // the sender kept its schedule through the stall
        assertThat(results.get(10).sendLagMs()).isLessThan(150);
        // request 1 was due 10 ms after request 0 and answered after the 300 ms stall: its latency holds the wait
        assertThat(results.get(0).latencyMs()).isGreaterThanOrEqualTo(290);
        assertThat(results.get(1).latencyMs()).isGreaterThanOrEqualTo(240);
        assertThat(results.get(5).latencyMs()).isGreaterThanOrEqualTo(200);
        assertThat(outcome.percentile(1.0)).isGreaterThanOrEqualTo(290);
        assertThat(outcome.malformed()).isZero();
    }

    @Test
    void should_send_at_the_rate_over_a_few_keep_alive_connections() throws Exception {
        URI url = serve(0, true);
        LoadRun.Outcome outcome;
        long opened;
        try (KeepAlivePool pool = new KeepAlivePool(url, 8, Duration.ofSeconds(10))) {
            outcome = LoadRun.run(pool, 200, Duration.ofSeconds(2), i -> "{}".getBytes(StandardCharsets.UTF_8),
                    i -> null, i -> { });
            opened = pool.connectionsOpened();
        }

        assertThat(outcome.count()).isEqualTo(400);
        assertThat(arrivals).hasSize(400);
        assertThat(outcome.malformed()).isZero();
        assertThat(outcome.tiers()).containsEntry("llm-cheap", 400L);
        // 400 requests over at most 8 connections, each kept open between requests
        assertThat(opened).isBetween(1L, 8L);
        long first = arrivals.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = arrivals.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat((last - first) / 1e9).isGreaterThanOrEqualTo(1.9);
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.sendLagMs()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void should_read_chunked_answers_and_open_a_connection_again_after_the_server_closes_it() throws Exception {
        URI url = serve(0, true, true);
        LoadRun.Outcome outcome;
        long opened;
        try (KeepAlivePool pool = new KeepAlivePool(url, 1, Duration.ofSeconds(10))) {
            outcome = LoadRun.run(pool, 100, Duration.ofMillis(500), i -> "{}".getBytes(StandardCharsets.UTF_8),
                    i -> null, i -> { });
            opened = pool.connectionsOpened();
        }

        assertThat(outcome.count()).isEqualTo(50);
        assertThat(outcome.malformed()).isZero();
        assertThat(outcome.tiers()).containsEntry("llm-cheap", 50L);
        // one connection, closed by the server after every tenth answer: 5 opened (the last close ends the run)
        assertThat(opened).isEqualTo(5);
    }

    @Test
    void should_count_a_refused_connection_as_no_answer() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LoadRun.Outcome outcome;
        try (KeepAlivePool pool = new KeepAlivePool(URI.create("http://127.0.0.1:" + port + "/sentiment"), 2,
                Duration.ofSeconds(2))) {
            outcome = LoadRun.run(pool, 20, Duration.ofMillis(200), i -> "{}".getBytes(StandardCharsets.UTF_8),
                    i -> null, i -> { });
        }

        assertThat(outcome.noAnswer()).isEqualTo(4);
        assertThat(outcome.firstProblem()).startsWith("no answer: ConnectException");
    }

    @Test
    void should_judge_statuses_and_bodies_by_the_contract_fields() {
        assertThat(LoadRun.judge(0, 503, new byte[0], 1, 0).problem()).isEqualTo("status 503");
        assertThat(LoadRun.judge(0, 200, "nope".getBytes(StandardCharsets.UTF_8), 1, 0).wellFormed()).isFalse();
        assertThat(LoadRun.judge(0, 200, "{\"sentiment\":\"neutral\"}".getBytes(StandardCharsets.UTF_8), 1, 0)
                .wellFormed()).isFalse();
        LoadRun.Result degraded = LoadRun.judge(0, 200, ("{\"sentiment\":\"neutral\",\"tier\":\"local\","
                + "\"degraded\":true}").getBytes(StandardCharsets.UTF_8), 1, 0);
        assertThat(degraded.wellFormed()).isTrue();
        assertThat(degraded.degraded()).isTrue();
    }

    @Test
    void should_read_the_fallback_cache_and_runner_latency_of_an_answer() {
        LoadRun.Result r = LoadRun.judge(3, 200, ("{\"sentiment\":\"neutral\",\"tier\":\"local\",\"degraded\":true,"
                + "\"fallback\":\"local_model\",\"cache\":null,\"latency_ms\":412}").getBytes(StandardCharsets.UTF_8),
                450, 2);
        assertThat(r.fallback()).isEqualTo("local_model");
        assertThat(r.cache()).isNull();
        assertThat(r.serverMs()).isEqualTo(412.0);
        assertThat(LoadRun.judge(0, 503, new byte[0], 1, 0).serverMs()).isNaN();
    }

    @Test
    void should_break_the_latency_down_by_cause_with_the_tail_first() {
        List<LoadRun.Result> results = new java.util.ArrayList<>();
        for (int i = 0; i < 90; i++) { // fast local answers, the sender on time
            results.add(new LoadRun.Result(i, 200, 10 + i % 10, 0.5, true, true, "local", "local_model", null, 3,
                    null));
        }
        for (int i = 90; i < 100; i++) { // answers after a time-out, the sender 100 ms late on each
            results.add(new LoadRun.Result(i, 200, 1300, 100, true, true, "local", "local_model", null, 1190,
                    null));
        }
        LoadRun.Outcome outcome = new LoadRun.Outcome(results, 100, Duration.ofSeconds(1), 1);

        List<LoadRun.Group> groups = outcome.groups(r -> r.index() < 90 ? "fast" : "hung", 500);

        assertThat(groups).extracting(LoadRun.Group::name).containsExactly("hung", "fast");
        LoadRun.Group hung = groups.get(0);
        assertThat(hung.count()).isEqualTo(10);
        assertThat(hung.share()).isEqualTo(0.1);
        assertThat(hung.overBound()).isEqualTo(10);
        assertThat(hung.p95Ms()).isEqualTo(1300);
        assertThat(hung.lagP95Ms()).isEqualTo(100);
        assertThat(hung.serverP95Ms()).isEqualTo(1190);
        assertThat(groups.get(1).overBound()).isZero();
        assertThat(groups.get(1).p50Ms()).isEqualTo(14);
        assertThat(outcome.sendLagPercentile(0.95)).isEqualTo(100);
        assertThat(outcome.serverPercentile(0.5)).isEqualTo(3);
    }

    @Test
    void should_name_the_cause_of_an_answer_by_tier_fallback_and_the_provider_calls() {
        LoadRun.Result local = new LoadRun.Result(0, 200, 900, 0, true, true, "local", "local_model", null, 880, null);
        assertThat(LoadMode.cause(local, List.of("timeout", "malformed_prose")))
                .isEqualTo("local (local_model) ← timeout → malformed");
        assertThat(LoadMode.cause(local, List.of())).isEqualTo("local (local_model) ← no provider call");
        LoadRun.Result llm = new LoadRun.Result(1, 200, 300, 0, true, false, "llm-cheap", null, null, 280, null);
        assertThat(LoadMode.cause(llm, List.of("none"))).isEqualTo("llm-cheap ← ok");
        LoadRun.Result hit = new LoadRun.Result(2, 200, 5, 0, true, false, "cache", null, "semantic", 4, null);
        assertThat(LoadMode.cause(hit, List.of())).isEqualTo("cache (semantic)");
        assertThat(LoadMode.cause(new LoadRun.Result(3, 0, 10_000, 0, "no answer: ConnectException"), List.of()))
                .isEqualTo("no answer");
    }
}
