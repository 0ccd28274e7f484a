package io.bulwark.functions.config;

import io.bulwark.functions.monitoring.Monitor;
import io.bulwark.models.predictionlog.PostgresSettings;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionLogException;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.models.predictionlog.QueuedLogEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;

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
        if (p.isPostgres()) {
            return postgres(p, registry, monitor);
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

    /**
     * The PostgreSQL log: appends queue and return; the writer thread commits batches. Counted: records acknowledged
     * ({@code bulwark.prediction_log.committed}), dropped on a full queue or refused by the server
     * ({@code bulwark.prediction_log.dropped}), failed writes, retried ({@code bulwark.prediction_log.failures}); a drop
     * or a failed write is told to the monitor. A drop is warned at the 1st, 10th, 100th, ... so a long outage does
     * not flood the log.
     */
    private static PredictionLog postgres(BulwarkProperties.PredictionLog p, MeterRegistry registry, Monitor monitor) {
        PostgresSettings settings = p.postgres().settings();
        Counter committed = Counter.builder("bulwark.prediction_log.committed").tag("backend", "postgres")
                .description("records whose batch committed: acknowledged, kept through a crash").register(registry);
        Counter dropped = Counter.builder("bulwark.prediction_log.dropped").tag("backend", "postgres")
                .description("records dropped: the queue was full, or the server refused the record").register(registry);
        Counter failures = Counter.builder("bulwark.prediction_log.failures").tag("backend", "postgres")
                .description("writes to the prediction log that failed: postgres retries the batch").register(registry);
        QueuedLogEvents events = new QueuedLogEvents() {
            @Override
            public void onDropped(PredictionRecord record, long droppedSoFar) {
                dropped.increment();
                monitor.onPredictionLogFailure();
                if (isPowerOfTen(droppedSoFar)) {
                    log.warn("prediction log: dropped the record of request {} (queue of {} full, or refused by the"
                            + " server); {} dropped since the start", record.requestId(), settings.queueCapacity(),
                            droppedSoFar);
                }
            }

            @Override
            public void onCommitted(List<PredictionRecord> batch) {
                committed.increment(batch.size());
            }

            @Override
            public void onWriteFailed(PredictionLogException failure, int pending, long retryInMillis) {
                failures.increment();
                monitor.onPredictionLogFailure();
                log.warn("prediction log: {} ({} records in hand, retried in {} ms)", failure.getMessage(), pending,
                        retryInMillis);
            }
        };
        log.info("Prediction log: postgres at {} as {} (inputs {}, queue of {}, batches of {}; a kill -9 loses at"
                        + " most the queue and one batch){}", settings.url(), settings.username(),
                p.redactInputs() ? "redacted" : "kept", settings.queueCapacity(), settings.batchSize(),
                p.required() ? "; required does not apply: records are written after the answer" : "");
        return PredictionLog.postgres(settings, events);
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
