package io.bulwark.functions.aws;

import io.bulwark.functions.config.FunctionsConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application class of the AWS Lambda path ({@code MAIN_CLASS} in {@code template.yaml}; Spring Cloud Function's
 * {@code FunctionInvoker} starts it without a web server and adds its own {@code AWSCompanionAutoConfiguration}): the
 * same functions, chains and observers as the local runner ({@link FunctionsConfiguration}, assembled there once) plus
 * the Lambda entry function and SnapStart priming ({@link LambdaConfiguration}), but a leaner context around them:
 * <ul>
 *   <li>no component scan: the configuration classes are imported by name, so the operator pages' controllers, the
 *       servlet filters and error pages of the runner's packages are not even read;</li>
 *   <li>no {@code @EnableAutoConfiguration}: of the ~150 auto-configurations on the class path, only what the functions
 *       use: placeholders, the Jackson 3 {@code JsonMapper}, Spring Cloud Function's catalog (which the invoker looks
 *       the entry function up in) and Micrometer's registry with the binder post-processor (the meters the functions
 *       record; a simple in-memory registry, or the OTLP one with {@code bulwark.metrics.otlp.endpoint}: nothing
 *       scrapes a Lambda, CloudWatch gets EMF lines). Not here: the actuator (health, Prometheus endpoint, its own
 *       Jackson 2 mapper), JVM/system/logback meters, observations, the HTTP clients and message converters, task
 *       executors and schedulers, SSL bundles.</li>
 * </ul>
 * Not a {@code @Configuration}: the runner's component scan covers this package and must not import these; as the
 * application's source, the class is read for its {@code @Import}s all the same. {@code LambdaApplicationIT} checks
 * that this context has every function, route, observer and meter of the runner's.
 */
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
        ContextFunctionCatalogAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class})
@Import({FunctionsConfiguration.class, LambdaConfiguration.class})
public class LambdaApplication {
}
