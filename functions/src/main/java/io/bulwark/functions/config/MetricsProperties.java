package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.EmfMetrics;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code bulwark.metrics.*} settings: metrics for where nothing scrapes {@code /actuator/prometheus}.
 *
 * Descriptions as in {@link BulwarkProperties}: plain text, the configuration metadata's.
 *
 * @param emf  CloudWatch Embedded Metric Format lines on standard output
 * @param otlp OpenTelemetry (OTLP/HTTP) export of the Micrometer meters
 */
@ConfigurationProperties("bulwark.metrics")
public record MetricsProperties(Emf emf, Otlp otlp) {

    public MetricsProperties {
        emf = emf != null ? emf : new Emf(false, null);
        otlp = otlp != null ? otlp : new Otlp(null, null, null);
    }

    /**
     * @param enabled   one EMF line per function call (and per LLM circuit breaker after each sentiment call) on
     *                  standard output; true by default on AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set), false elsewhere
     * @param namespace the CloudWatch namespace of the EMF metrics (template.yaml's alarms read the same)
     */
    public record Emf(boolean enabled, String namespace) {

        public Emf {
            namespace = namespace == null || namespace.isBlank() ? EmfMetrics.DEFAULT_NAMESPACE : namespace.strip();
        }
    }

    /**
     * @param endpoint the OTLP/HTTP collector the meters are pushed to as protobuf, e.g. http://collector:4318
     *                 (/v1/metrics is added to a URL without a path); blank: no export. For Azure Monitor (through a
     *                 collector), a container platform, any OpenTelemetry collector
     * @param step     how often the meters are pushed (each push carries the step's figures)
     * @param headers  HTTP headers of each push, bulwark.metrics.otlp.headers.NAME=value (e.g. an authorization
     *                 header); added to those of OTEL_EXPORTER_OTLP_HEADERS
     */
    public record Otlp(String endpoint, Duration step, Map<String, String> headers) {

        /** How often the meters are pushed unless configured: OpenTelemetry's default metric export interval. */
        public static final Duration DEFAULT_STEP = Duration.ofMinutes(1);

        public Otlp {
            step = step != null ? step : DEFAULT_STEP;
            if (step.isNegative() || step.isZero()) {
                throw new IllegalArgumentException("bulwark.metrics.otlp.step must be positive: " + step);
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }
}
