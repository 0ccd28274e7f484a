package io.bulwark.functions.config;

import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OTLP export of the Micrometer meters (Azure, containers: anywhere a collector takes OpenTelemetry's protocol), only
 * when {@code bulwark.metrics.otlp.endpoint} names one. Micrometer's OTLP registry pushes every meter the app has
 * (those of {@code /actuator/prometheus}) as OTLP/HTTP protobuf on its own schedule; Spring Boot adds it to the
 * composite registry beside Prometheus and applies the common tags. (Spring Boot's own OTLP auto-configuration needs
 * its OpenTelemetry SDK module, which the app does not carry.)
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OtlpExportConfiguration.EndpointSet.class)
class OtlpExportConfiguration {

    /** The OTLP/HTTP path of metrics, added to an endpoint given without a path. */
    static final String METRICS_PATH = "/v1/metrics";

    private static final Logger log = LoggerFactory.getLogger(OtlpExportConfiguration.class);

    @Bean(destroyMethod = "close")
    OtlpMeterRegistry otlpMeterRegistry(MetricsProperties metrics) {
        MetricsProperties.Otlp otlp = metrics.otlp();
        String url = url(otlp.endpoint().strip());
        Duration step = otlp.step();
        Map<String, String> headers = otlp.headers();
        log.info("OTLP metrics export to {} every {}{}", url, step,
                headers.isEmpty() ? "" : " with headers " + headers.keySet());
        return new OtlpMeterRegistry(new OtlpConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public Duration step() {
                return step;
            }

            @Override
            public Map<String, String> headers() {
                Map<String, String> all = new LinkedHashMap<>(OtlpConfig.super.headers()); // OTEL_EXPORTER_OTLP_HEADERS
                all.putAll(headers);
                return all;
            }
        }, Clock.SYSTEM);
    }

    /** The endpoint as given, or with {@value #METRICS_PATH} when it has no path (a collector's base URL). */
    static String url(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfiguration("bulwark.metrics.otlp.endpoint", "'" + endpoint + "' is not a URL",
                    "give the URL of an OTLP/HTTP collector, e.g. http://collector:4318", e);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new InvalidConfiguration("bulwark.metrics.otlp.endpoint", "'" + endpoint + "' is not an http(s) URL",
                    "give the http:// or https:// URL of an OTLP/HTTP collector, e.g. http://collector:4318", null);
        }
        String path = uri.getRawPath();
        return path == null || path.isEmpty() || "/".equals(path)
                ? endpoint.replaceFirst("/?$", "") + METRICS_PATH : endpoint;
    }

    /** True when {@code bulwark.metrics.otlp.endpoint} is set and not blank. */
    static final class EndpointSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String endpoint = context.getEnvironment().getProperty("bulwark.metrics.otlp.endpoint");
            return endpoint != null && !endpoint.isBlank();
        }
    }
}
