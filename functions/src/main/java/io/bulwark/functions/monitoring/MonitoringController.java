package io.bulwark.functions.monitoring;

import io.bulwark.models.ClassifierService;
import io.bulwark.models.drift.DriftReport;
import io.bulwark.resilience.failure.RequestRejected;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's pages (not functions, so not on the cloud runtimes): {@code GET /metrics/summary} (the window),
 * {@code GET /metrics/dashboard} (everything the dashboard draws: the seed's {@code export_dashboard}),
 * {@code GET /alerts} and {@code GET /dashboard}. Literal paths take precedence over the function adapter's
 * {@code /{name}}.
 */
@RestController
class MonitoringController {

    /** What {@code GET /metrics/dashboard} answers. */
    record Dashboard(Summary summary, List<Point> series, AlertEvaluator.Alerts alerts,
                     List<Recommendations.Recommendation> recommendations, Map<String, Object> jvm,
                     Map<String, Object> settings, DriftReport drift) {
    }

    private final Monitor monitor;
    private final AlertEvaluator alerts;
    private final Recommendations recommendations;
    private final MeterRegistry registry;
    private final ClassifierService<?> classifier;

    MonitoringController(Monitor monitor, AlertEvaluator alerts, Recommendations recommendations, MeterRegistry registry,
                         ClassifierService<?> classifier) {
        this.classifier = classifier;
        this.monitor = monitor;
        this.alerts = alerts;
        this.recommendations = recommendations;
        this.registry = registry;
    }

    @GetMapping(path = "/metrics/summary", produces = MediaType.APPLICATION_JSON_VALUE)
    Summary summary() {
        return monitor.summary();
    }

    @GetMapping(path = "/metrics/dashboard", produces = MediaType.APPLICATION_JSON_VALUE)
    Dashboard dashboard() {
        Summary s = monitor.summary();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("window_seconds", monitor.settings().window().toMillis() / 1000.0);
        settings.put("bucket_seconds", monitor.settings().bucket().toMillis() / 1000.0);
        return new Dashboard(s, monitor.series(), alerts.alerts(), recommendations.from(s), jvm(), settings,
                servingDrift());
    }

    /** The serving version's drift report, or null while no version can serve. */
    private DriftReport servingDrift() {
        try {
            return classifier.drift(classifier.serving());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @GetMapping(path = "/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    AlertEvaluator.Alerts alerts() {
        return alerts.alerts();
    }

    @GetMapping(path = "/dashboard", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.TEXT_HTML)
                .body(new ClassPathResource("dashboard/dashboard.html"));
    }

    /*
     * POST /alerts or /dashboard would otherwise reach the function adapter's /{name} and
     * be told there is no such function; the truth is that the page exists and only takes GET.
     */
    @RequestMapping(path = "/alerts", method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
            RequestMethod.PATCH})
    void alertsTakeGet(HttpMethod method) {
        throw getOnly("/alerts", method);
    }

    @RequestMapping(path = "/dashboard", method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
            RequestMethod.PATCH})
    void dashboardTakesGet(HttpMethod method) {
        throw getOnly("/dashboard", method);
    }

    private static RequestRejected getOnly(String path, HttpMethod method) {
        return new RequestRejected(405, "method_not_allowed", "method", path + " takes GET, not " + method.name());
    }

    private Map<String, Object> jvm() {
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heap_used_mb", mb(sum(Search.in(registry).name("jvm.memory.used").tag("area", "heap"))));
        jvm.put("heap_max_mb", mb(sum(Search.in(registry).name("jvm.memory.max").tag("area", "heap"))));
        jvm.put("process_cpu", gauge("process.cpu.usage"));
        jvm.put("system_cpu", gauge("system.cpu.usage"));
        jvm.put("threads", gauge("jvm.threads.live"));
        return jvm;
    }

    private static double sum(Search search) {
        return search.gauges().stream().mapToDouble(Gauge::value).filter(v -> v > 0).sum();
    }

    private Double gauge(String name) {
        Gauge g = registry.find(name).gauge();
        return g == null || Double.isNaN(g.value()) ? null : Stats.round(g.value());
    }

    private static double mb(double bytes) {
        return Math.round(bytes / 1024 / 1024 * 10) / 10.0;
    }
}
