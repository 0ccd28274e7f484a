package io.bulwark.functions.monitoring;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OTLP export ({@code bulwark.metrics.otlp.endpoint}) reaches a collector: a receiver on loopback takes the
 * OTLP/HTTP protobuf POSTs to {@code /v1/metrics}, decodes them with the OpenTelemetry protocol's own classes, and the
 * Bulwark meters of the calls made are in them, by function, with the configured header.
 */
class OtlpExportIT {

    private HttpServer receiver;
    private ConfigurableApplicationContext app;
    /** Each decoded metric, as {@code name{function=...}} (or the bare name when it has no function attribute). */
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getPath());
                tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Collector-Token")));
                contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                byte[] body = exchange.getRequestBody().readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                decode(ExportMetricsServiceRequest.parseFrom(body));
                // An empty ExportMetricsServiceResponse: everything accepted.
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0);
            }
        });
        receiver.start();
    }

    private void decode(ExportMetricsServiceRequest request) {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    List<List<KeyValue>> points = switch (m.getDataCase()) {
                        case HISTOGRAM -> m.getHistogram().getDataPointsList().stream()
                                .map(p -> p.getAttributesList()).toList();
                        case SUM -> m.getSum().getDataPointsList().stream().map(p -> p.getAttributesList()).toList();
                        case GAUGE -> m.getGauge().getDataPointsList().stream()
                                .map(p -> p.getAttributesList()).toList();
                        case SUMMARY -> m.getSummary().getDataPointsList().stream()
                                .map(p -> p.getAttributesList()).toList();
                        default -> List.of(List.of());
                    };
                    for (List<KeyValue> attributes : points) {
                        Map<String, String> a = attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                                kv -> kv.getValue().getStringValue(), (x, y) -> x));
                        received.add(a.containsKey("function") ? m.getName() + "{function=" + a.get("function") + "}"
                                : m.getName());
                    }
                }
            }
        }
    }

    @Test
    void should_push_the_function_meters_to_the_configured_collector(@TempDir Path dir) throws Exception {
        startReceiver();
        // A collector's base URL: /v1/metrics is added.
        String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
        app = new SpringApplicationBuilder(BulwarkApplication.class).web(WebApplicationType.NONE).run(
                "--bulwark.metrics.otlp.endpoint=" + endpoint, "--bulwark.metrics.otlp.step=1s",
                "--bulwark.metrics.otlp.headers.X-Collector-Token=t-1",
                "--bulwark.classifier.registry=" + dir.resolve("models"), "--bulwark.prediction-log.backend=none");
        FunctionDispatcher dispatcher = app.getBean(FunctionDispatcher.class);

        assertThat(dispatcher.dispatch(post("/sentiment", "{\"text\": \"a lovely, helpful shop\"}")).status())
                .isEqualTo(200);
        assertThat(dispatcher.dispatch(post("/predict", "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6,"
                + " \"bill_depth_mm\": 16.0, \"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}"))
                .status()).isEqualTo(200);

        Set<String> expected = Set.of("bulwark.function.latency{function=sentiment}",
                "bulwark.function.latency{function=predict}", "bulwark.sentiment.answers",
                "bulwark.model.answers{function=predict}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!received.containsAll(expected) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(received).as("metrics the collector decoded").containsAll(expected);
        assertThat(paths).isNotEmpty().allMatch("/v1/metrics"::equals);
        assertThat(contentTypes).allMatch(t -> t.startsWith("application/x-protobuf"));
        assertThat(tokens).as("the configured header").allMatch("t-1"::equals);
    }

    private static FunctionRequest post(String path, String json) {
        return new FunctionRequest("POST", path, Map.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }
}
