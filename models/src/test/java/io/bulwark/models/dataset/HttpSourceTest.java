package io.bulwark.models.dataset;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ingestion over HTTP from a real server on loopback: fetched when its address is allow-listed, refused when not,
 * and a redirect followed only to an allowed host.
 */
class HttpSourceTest {

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String CSV = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,species\n"
            + "Biscoe,48.6,16.0,230,5800,male,Gentoo\nTorgersen,39.1,18.7,181,3750,female,Adelie\n"
            + "Mars,40,18,190,3500,female,Adelie\n";
    static final AtomicInteger hits = new AtomicInteger();
    static final CountDownLatch never = new CountDownLatch(1);

    static HttpServer server;
    static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/penguins.csv", x -> answer(x, 200, "text/csv", CSV));
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/penguins.csv");
            answer(x, 302, "text/plain", "");
        });
        server.createContext("/elsewhere", x -> {
            x.getResponseHeaders().add("Location", "http://localhost:" + port + "/penguins.csv");
            answer(x, 301, "text/plain", "");
        });
        server.createContext("/loop", x -> {
            x.getResponseHeaders().add("Location", "/loop");
            answer(x, 307, "text/plain", "");
        });
        server.createContext("/big.csv", x -> answer(x, 200, "text/csv", CSV.repeat(200)));
        server.createContext("/missing", x -> answer(x, 404, "text/plain", "no"));
        server.createContext("/slow", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write(CSV.substring(0, 80).getBytes(StandardCharsets.UTF_8));
                out.flush();
                never.await(); // holds the body open until the test ends
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-source-test");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    static void answer(com.sun.net.httpserver.HttpExchange x, int status, String type, String body) throws IOException {
        hits.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stop() {
        never.countDown();
        server.stop(0);
    }

    static DatasetSettings allowing(List<String> hosts, long maxBytes, Duration timeout) {
        return new DatasetSettings(Map.of(), hosts, 1000, maxBytes, timeout, 5, Duration.ofSeconds(5), 100);
    }

    DatasetVersion ingest(DatasetSettings settings, String url) {
        DatasetStore<Penguin> store = new DatasetStore<>(dir.resolve("datasets"), PENGUINS, JSON, CLOCK, 1000);
        try (HttpSource.Fetched fetched = new HttpSource(settings).fetch(url)) {
            DatasetFormats.Opened opened = DatasetFormats.open(fetched.contentType(), fetched.body());
            try (var rows = opened.rows()) {
                return store.ingest(rows, DatasetStore.source("type", "http", "url", url), "url").version();
            }
        }
    }

    static void assertRefused(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.field()).isEqualTo("url");
        });
    }

    @Test
    void should_ingest_from_an_allow_listed_loopback_server() {
        DatasetVersion v = ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/penguins.csv");

        assertThat(v.rows()).isEqualTo(2);
        assertThat(v.rejectedRows()).isEqualTo(1);
        assertThat(v.source()).containsEntry("type", "http");
    }

    @Test
    void should_follow_a_redirect_to_an_allowed_host() {
        DatasetVersion v = ingest(allowing(List.of("127.0.0.1:" + port), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/moved");

        assertThat(v.rows()).isEqualTo(2);
    }

    @Test
    void should_refuse_a_host_that_is_not_allow_listed_without_contacting_it() {
        int before = hits.get();

        assertRefused(() -> ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10)),
                "http://localhost:" + port + "/penguins.csv"), 400, "url_not_allowed");
        assertRefused(() -> ingest(allowing(List.of("127.0.0.1:1"), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/penguins.csv"), 400, "url_not_allowed");
        assertRefused(() -> ingest(allowing(List.of(), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/penguins.csv"), 400, "url_not_allowed");
        assertRefused(() -> ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10)),
                "file:///etc/passwd"), 400, "url_not_allowed");
        assertThat(hits.get()).isEqualTo(before);
    }

    @Test
    void should_refuse_a_redirect_to_a_host_that_is_not_allowed_without_following_it() throws IOException {
        int before = hits.get();

        assertRefused(() -> ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/elsewhere"), 400, "url_not_allowed");
        assertThatThrownBy(() -> ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/elsewhere")).hasMessageContaining("redirects to http://localhost:");
        assertThat(hits.get()).as("only the redirects were fetched").isEqualTo(before + 2);
        try (Stream<Path> s = Files.list(dir.resolve("datasets"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void should_refuse_a_private_address_that_a_host_name_entry_resolves_to() {
        // "localhost" is a name; an entry naming another name that resolves inward is refused the same way, but no
        // such name exists on every machine, so the address test is made directly.
        assertThat(AllowList.inward(InetAddress.getLoopbackAddress())).isTrue();
        for (String inward : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "::1", "fd00::1", "fe80::1")) {
            assertThat(AllowList.inward(address(inward))).as(inward).isTrue();
        }
        for (String outward : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111")) {
            assertThat(AllowList.inward(address(outward))).as(outward).isFalse();
        }
    }

    @Test
    void should_stop_at_too_many_redirects_a_404_the_size_cap_and_the_time_cap() {
        DatasetSettings allowed = allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(10));
        assertRefused(() -> ingest(allowed, "http://127.0.0.1:" + port + "/loop"), 422, "fetch_failed");
        assertRefused(() -> ingest(allowed, "http://127.0.0.1:" + port + "/missing"), 422, "fetch_failed");
        assertRefused(() -> ingest(allowing(List.of("127.0.0.1"), 1000, Duration.ofSeconds(10)),
                "http://127.0.0.1:" + port + "/big.csv"), 413, "too_large");
        assertRefused(() -> ingest(allowing(List.of("127.0.0.1"), 1 << 20, Duration.ofSeconds(2)),
                "http://127.0.0.1:" + port + "/slow"), 422, "fetch_failed");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
