package io.bulwark.functions.config;

import io.bulwark.models.predictionlog.PredictionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/**
 * Opens the prediction log every function shares ({@code bulwark.prediction-log.*}).
 */
@Configuration(proxyBeanMethods = false)
class PredictionLogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PredictionLogConfiguration.class);

    @Bean(destroyMethod = "close")
    PredictionLog predictionLog(BulwarkProperties props, JsonMapper json) {
        BulwarkProperties.PredictionLog p = props.predictionLog();
        if ("none".equalsIgnoreCase(p.backend().strip())) {
            log.info("Prediction log: none");
            return PredictionLog.NONE;
        }
        Path path = p.path() == null || p.path().isBlank()
                ? Path.of("logs", PredictionLog.defaultFileName(p.backend())) : Path.of(p.path());
        PredictionLog opened = PredictionLog.open(p.backend(), path, p.sync(), json);
        log.info("Prediction log: {} at {} (inputs {}, sync {})", p.backend(), path.toAbsolutePath(),
                p.redactInputs() ? "redacted" : "kept", p.sync());
        return opened;
    }
}
