package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.EmfMetrics;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The defaults that depend on where the application runs ({@link CloudRuntime}), added after every other property
 * source so that anything configured wins:
 * <ul>
 *   <li>on AWS Lambda, CloudWatch Embedded Metric Format lines on standard output
 *       ({@code bulwark.metrics.emf.enabled=true}, see {@link EmfMetrics});</li>
 *   <li>on AWS Lambda and Azure Functions, JSON log lines ({@code logging.structured.format.console=ecs}: the log
 *       services index their members); the local runner keeps Spring Boot's text lines, for people. Setting
 *       {@code logging.structured.format.console} (empty: text) decides it anywhere.</li>
 * </ul>
 * Registered in {@code META-INF/spring.factories}; it runs after the configuration files are read and before the
 * logging system starts.
 */
public final class CloudDefaults implements EnvironmentPostProcessor {

    /** The name of the property source this adds. */
    public static final String SOURCE = "bulwarkCloudDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE,
                defaults(CloudRuntime.detect(environment))));
    }

    /** Returns the defaults of a runtime. */
    static Map<String, Object> defaults(CloudRuntime runtime) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (runtime == CloudRuntime.AWS_LAMBDA) {
            defaults.put("bulwark.metrics.emf.enabled", "true");
        }
        if (runtime.cloud()) {
            defaults.put("logging.structured.format.console", "ecs");
        }
        return defaults;
    }
}
