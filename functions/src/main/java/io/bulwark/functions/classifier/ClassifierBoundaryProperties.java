package io.bulwark.functions.classifier;

import io.bulwark.models.ClassifierBoundary;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code bulwark.classifier.boundary.*} settings: the error boundary around {@code /predict} and
 * {@code /predict_batch} ({@link ClassifierBoundary}); defaults are the library's constants.
 *
 * @param deadline       the whole request's time; rows still unanswered when it has passed are "uncertain" (degraded)
 * @param attemptTimeout the most one version's prediction may take before the fallback version is asked
 * @param maxConcurrent  the most predictions running at once; beyond it a request waits (queue-wait)
 * @param queueWait      how long a prediction waits for a place (never beyond the deadline) before a 503 server_busy
 */
@ConfigurationProperties("bulwark.classifier.boundary")
public record ClassifierBoundaryProperties(Duration deadline, Duration attemptTimeout, Integer maxConcurrent,
                                           Duration queueWait) {

    public ClassifierBoundaryProperties {
        deadline = deadline != null ? deadline : ClassifierBoundary.Settings.DEFAULT_DEADLINE;
        attemptTimeout = attemptTimeout != null ? attemptTimeout : ClassifierBoundary.Settings.DEFAULT_ATTEMPT_TIMEOUT;
        maxConcurrent = maxConcurrent != null ? maxConcurrent : ClassifierBoundary.Settings.DEFAULT_MAX_CONCURRENT;
        queueWait = queueWait != null ? queueWait : ClassifierBoundary.Settings.DEFAULT_QUEUE_WAIT;
    }

    /** Returns the settings, checked. */
    public ClassifierBoundary.Settings settings() {
        return new ClassifierBoundary.Settings(deadline, attemptTimeout, maxConcurrent, queueWait);
    }
}
