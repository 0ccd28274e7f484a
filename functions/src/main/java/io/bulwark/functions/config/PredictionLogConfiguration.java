package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.Monitor;
import io.bulwark.models.predictionlog.PredictionLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/**
 * Opens the prediction log every function shares ({@code bulwark.prediction-log.*}); each failed append is
 * counted ({@code bulwark.prediction_log.failures}) and told to the {@link Monitor} (the
 * {@code prediction-log-failing} alert).
 */
@Configuration(proxyBeanMethods = false)
class PredictionLogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PredictionLogConfiguration.class);

    @Bean(destroyMethod = "close")
    PredictionLog predictionLog(BulwarkProperties props, JsonMapper json, MeterRegistry registry, Monitor monitor) {
        BulwarkProperties.PredictionLog p = props.predictionLog();
        if ("none".equalsIgnoreCase(p.backend().strip())) {
            log.info("Prediction log: none");
            return PredictionLog.NONE;
        }
        Path path = p.path() == null || p.path().isBlank()
                ? Path.of("logs", PredictionLog.defaultFileName(p.backend())) : Path.of(p.path());
        PredictionLog.Options options = p.options();
        PredictionLog opened = PredictionLog.open(p.backend(), path, options, json);
        Counter failures = Counter.builder("bulwark.prediction_log.failures").tag("backend", p.backend().strip())
                .description("appends to the prediction log that failed: records not kept").register(registry);
        log.info("Prediction log: {} at {} (inputs {}, sync {}, {}, {})", p.backend(), path.toAbsolutePath(),
                p.redactInputs() ? "redacted" : "kept", p.sync(), "sqlite".equalsIgnoreCase(p.backend().strip())
                        ? "not rotated" : "rotated at " + p.maxSize() + ", " + p.maxFiles() + " old files kept",
                p.required() ? "required: a prediction it cannot keep is refused" : "not required");
        return PredictionLog.observed(opened, e -> {
            failures.increment();
            monitor.onPredictionLogFailure();
        });
    }
}
