package io.bulwark.functions.classifier;

import io.bulwark.models.ClassifierBoundary;
import io.bulwark.models.VersionBreakers;
import io.bulwark.resilience.BreakerConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The {@code bulwark.classifier.boundary.*} settings: the error boundary around {@code /predict} and
 * {@code /predict_batch} ({@link ClassifierBoundary}); defaults are the library's constants.
 *
 * @param deadline       the whole request's time; rows still unanswered when it has passed are "uncertain" (degraded)
 * @param attemptTimeout the most one version's prediction may take before the fallback version is asked
 * @param maxConcurrent  the most predictions running at once; beyond it a request waits (queue-wait)
 * @param queueWait      how long a prediction waits for a place (never beyond the deadline) before a 503 server_busy
 * @param breaker        the circuit breaker of each classifier version (penguins) and of each digit version and variant
 */
@ConfigurationProperties("bulwark.classifier.boundary")
public record ClassifierBoundaryProperties(Duration deadline, Duration attemptTimeout, Integer maxConcurrent,
                                           Duration queueWait, @DefaultValue Breaker breaker) {

    public ClassifierBoundaryProperties {
        deadline = deadline != null ? deadline : ClassifierBoundary.Settings.DEFAULT_DEADLINE;
        attemptTimeout = attemptTimeout != null ? attemptTimeout : ClassifierBoundary.Settings.DEFAULT_ATTEMPT_TIMEOUT;
        maxConcurrent = maxConcurrent != null ? maxConcurrent : ClassifierBoundary.Settings.DEFAULT_MAX_CONCURRENT;
        queueWait = queueWait != null ? queueWait : ClassifierBoundary.Settings.DEFAULT_QUEUE_WAIT;
        breaker = breaker != null ? breaker : new Breaker(null, null, null, null, null);
    }

    /** Returns the settings, checked. */
    public ClassifierBoundary.Settings settings() {
        return new ClassifierBoundary.Settings(deadline, attemptTimeout, maxConcurrent, queueWait, breaker.toConfig());
    }

    /**
     * The {@code bulwark.classifier.boundary.breaker.*} settings of each version's circuit breaker; defaults are
     * {@link VersionBreakers#DEFAULTS}. Failed loads, failed predictions and overruns of the attempt time-out count.
     *
     * @param failureRateThreshold % of failed calls in the window that opens the breaker
     * @param slidingWindowSize    calls in the window
     * @param minimumNumberOfCalls calls before the rate counts
     * @param waitInOpenState      time open (the version skipped unread) before trial calls
     * @param callsInHalfOpenState trial calls
     */
    public record Breaker(Float failureRateThreshold, Integer slidingWindowSize, Integer minimumNumberOfCalls,
                          Duration waitInOpenState, Integer callsInHalfOpenState) {

        public Breaker {
            BreakerConfig d = VersionBreakers.DEFAULTS;
            failureRateThreshold = failureRateThreshold != null ? failureRateThreshold : d.failureRateThreshold();
            slidingWindowSize = slidingWindowSize != null ? slidingWindowSize : d.slidingWindowSize();
            minimumNumberOfCalls = minimumNumberOfCalls != null ? minimumNumberOfCalls : d.minimumNumberOfCalls();
            waitInOpenState = waitInOpenState != null ? waitInOpenState : d.waitInOpenState();
            callsInHalfOpenState = callsInHalfOpenState != null ? callsInHalfOpenState : d.callsInHalfOpenState();
        }

        /** Returns the breaker settings, checked. */
        public BreakerConfig toConfig() {
            return new BreakerConfig(failureRateThreshold, slidingWindowSize, minimumNumberOfCalls, waitInOpenState,
                    callsInHalfOpenState);
        }
    }
}
