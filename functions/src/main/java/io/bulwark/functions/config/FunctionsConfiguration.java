package io.bulwark.functions.config;

import io.bulwark.functions.classifier.ClassifierBoundaryProperties;
import io.bulwark.functions.digits.DigitsConfiguration;
import io.bulwark.functions.digits.DigitsProperties;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.functions.http.HttpFunction;
import io.bulwark.resilience.Ticker;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * Every function, the chains behind them, their observers (monitor, meters, EMF, OTLP) and the dispatcher that routes
 * to them: the part of the application every runtime shares, assembled here once. The local runner
 * ({@code BulwarkApplication}) finds these classes by its component scan and adds the web server, the operator pages
 * and the actuator; the Lambda entry ({@code io.bulwark.functions.aws.LambdaApplication}) imports this class and only
 * the auto-configurations the functions need, without scanning. A configuration class the functions need goes into
 * {@link Import} here, or the Lambda path does not have it ({@code LambdaApplicationIT} compares the two contexts).
 */
@Configuration(proxyBeanMethods = false)
@Import({TimeConfiguration.class, StateConfiguration.class, SentimentConfiguration.class,
        ClassifierConfiguration.class, DigitsConfiguration.class, InferenceConfiguration.class,
        PredictionLogConfiguration.class, MonitoringConfiguration.class, OtlpExportConfiguration.class})
@EnableConfigurationProperties({BulwarkProperties.class, HttpProperties.class, MetricsProperties.class,
        MonitoringProperties.class, OperatorProperties.class, DigitsProperties.class,
        ClassifierBoundaryProperties.class})
public class FunctionsConfiguration {

    /**
     * The HTTP edge of every runtime: each function bean declares its own route; every observer bean (the monitor,
     * the meters) hears every call.
     */
    @Bean
    FunctionDispatcher functionDispatcher(List<HttpFunction> functions, List<FunctionObserver> observers,
                                          JsonMapper json, Ticker ticker, HttpProperties http) {
        FunctionDispatcher dispatcher = new FunctionDispatcher(functions, json, FunctionObserver.all(observers), ticker,
                http.contentEncoding());
        LoggerFactory.getLogger(FunctionDispatcher.class).info("Functions: {}", dispatcher.endpoints().describe());
        return dispatcher;
    }
}
