package io.bulwark.functions.aws;

import io.bulwark.functions.config.FunctionsConfiguration;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The application class of the AWS Lambda path ({@code MAIN_CLASS} in {@code template.yaml}; Spring Cloud Function's
 * {@code FunctionInvoker} starts it without a web server and adds its own {@code AWSCompanionAutoConfiguration}): the
 * same functions, chains and observers as the local runner ({@link FunctionsConfiguration}, assembled there once) plus
 * the Lambda entry function and SnapStart priming ({@link LambdaConfiguration}), but a leaner context around them:
 * <ul>
 *   <li>no component scan: the configuration classes are imported by name, so the operator pages' controllers, the
 *       servlet filters and error pages of the runner's packages are not even read;</li>
 *   <li>no {@code @EnableAutoConfiguration}: of the ~100 auto-configurations in the Lambda jar, only what the functions
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

    /** Spring's bean-definition attribute that marks a configuration class for CGLIB enhancement ({@code full}). */
    static final String CONFIGURATION_CLASS_ATTRIBUTE =
            "org.springframework.context.annotation.ConfigurationClassPostProcessor.configurationClass";

    /**
     * {@code FunctionInvoker} adds {@link AWSCompanionAutoConfiguration}, a {@code @Configuration} with the default
     * {@code proxyBeanMethods = true}: the one class in this context that Spring would subclass with CGLIB, which loads
     * CGLIB and generates a class at every cold start. Its single {@code @Bean} method calls no other, so it needs no
     * proxy: this marks it {@code lite}, as {@code proxyBeanMethods = false} would. Runs after the configuration classes
     * are parsed and before they are enhanced. If Spring renames the attribute, the class is enhanced as before
     * ({@code LambdaApplicationIT} checks it is not).
     */
    @Bean
    static BeanDefinitionRegistryPostProcessor awsCompanionWithoutProxy() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                for (String name : registry.getBeanDefinitionNames()) {
                    BeanDefinition definition = registry.getBeanDefinition(name);
                    if (AWSCompanionAutoConfiguration.class.getName().equals(definition.getBeanClassName())
                            && "full".equals(definition.getAttribute(CONFIGURATION_CLASS_ATTRIBUTE))) {
                        definition.setAttribute(CONFIGURATION_CLASS_ATTRIBUTE, "lite");
                    }
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
                // Nothing: the registry phase above is all.
            }
        };
    }
}
