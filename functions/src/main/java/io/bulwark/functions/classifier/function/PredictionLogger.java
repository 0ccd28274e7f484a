package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.Answer;
import io.bulwark.functions.classifier.Penguin;
import io.bulwark.functions.predictionlog.PredictionLog;
import io.bulwark.functions.predictionlog.PredictionRecord;

import java.time.Clock;

/**
 * Writes classifier predictions to the shared {@link PredictionLog}, redacting inputs when configured.
 */
public final class PredictionLogger {

    private final PredictionLog log;
    private final boolean redactInputs;
    private final Clock clock;

    public PredictionLogger(PredictionLog log, boolean redactInputs, Clock clock) {
        this.log = log;
        this.redactInputs = redactInputs;
        this.clock = clock;
    }

    void answered(String function, String requestId, String version, Penguin p, Answer a, double latencyMs) {
        log.append(new PredictionRecord(clock.instant(), requestId, function, version,
                redactInputs ? null : ClassifierFunction.inputJson(p), ClassifierFunction.inputHash(p),
                a.prediction(), a.confidence(), latencyMs));
    }
}
