package io.bulwark.tools.chaos;

import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Reply;
import io.bulwark.chaos.experiment.Target;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sentiment function of a running local runner, over HTTP, in real time. The breaker's state is read
 * after each request from the runner's {@code bulwark.breaker.open} gauge (1 per model whose breaker is not
 * closed; the metrics endpoint sums the models, so any open breaker reads as OPEN), so changes are seen per
 * request, as CLOSED and OPEN.
 */
final class HttpTarget implements Target {

    static final String BREAKER_GAUGE = "/actuator/metrics/bulwark.breaker.open";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Duration timeout;
    private final long start = System.nanoTime();
    private final String adminToken;
    private String breaker;
    private boolean startedOpen;

    /**
     * Connects to the runner at {@code base}; throws if its breaker gauge cannot be read. The gauge is an operator page:
     * the runner's admin token is read from {@code BULWARK_ADMIN_TOKEN}, the variable the runner itself reads.
     */
    HttpTarget(URI base, Duration timeout) {
        this(base, timeout, System.getenv("BULWARK_ADMIN_TOKEN"));
    }

    /** Connects to the runner at {@code base} with its admin token ({@code null}: none, for a runner without one). */
    HttpTarget(URI base, Duration timeout, String adminToken) {
        this.base = base;
        this.timeout = timeout;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
        this.breaker = readBreaker();
        this.startedOpen = !"CLOSED".equals(breaker);
    }

    /** Returns the runner's breaker state, or throws if it cannot be read (the runner is down or has no LLM). */
    String readBreaker() {
        try {
            HttpRequest.Builder gauge = HttpRequest.newBuilder(base.resolve(BREAKER_GAUGE)).timeout(timeout).GET();
            if (adminToken != null) {
                gauge.header("Authorization", "Bearer " + adminToken);
            }
            HttpResponse<String> r = client.send(gauge.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                throw new IllegalStateException("GET " + BREAKER_GAUGE + " answered 401: it is an operator page; set "
                        + "BULWARK_ADMIN_TOKEN to the runner's admin token");
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + BREAKER_GAUGE + " answered " + r.statusCode());
            }
            JsonNode value = JSON.readTree(r.body()).path("measurements").path(0).path("value");
            return value.asDouble() > 0 ? "OPEN" : "CLOSED";
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the runner at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Returns the value of the runner's meter {@code name} ({@code /actuator/metrics/<name>}, an operator page read with
     * the admin token), restricted to {@code tag} ({@code key:value}) unless that is null.
     */
    double metric(String name, String tag) {
        String path = "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag);
        try {
            HttpRequest.Builder get = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET();
            if (adminToken != null) {
                get.header("Authorization", "Bearer " + adminToken);
            }
            HttpResponse<String> r = client.send(get.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
            }
            return JSON.readTree(r.body()).path("measurements").path(0).path("value").asDouble();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the runner at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Reply send(String text) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/sentiment")).timeout(timeout)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("text", text))))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (IOException e) {
            return Reply.escaped(e, Duration.ofNanos(System.nanoTime() - t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.escaped(e, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    @Override
    public double now() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void waitUntil(double seconds) {
        long wait = (long) (seconds * 1e9) - (System.nanoTime() - start);
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public List<BreakerEvent> breakerChanges(int request) {
        List<BreakerEvent> events = new java.util.ArrayList<>();
        if (startedOpen) {
            // left open by an earlier run: recorded as the state before the first request
            events.add(new BreakerEvent(0, -1, "START", breaker));
            startedOpen = false;
        }
        String before = breaker;
        breaker = readBreaker();
        if (!before.equals(breaker)) {
            events.add(new BreakerEvent(now(), request, before, breaker));
        }
        return events;
    }

    @Override
    public String mode() {
        return "over HTTP against " + base + ", real time";
    }

    @Override
    public void close() {
        client.close();
    }
}
