package io.bulwark.functions.classifier;

import io.bulwark.models.Answer;
import io.bulwark.models.ModelInput;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionRecord;

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

    void answered(String function, String requestId, String version, ModelInput input, Answer a, double latencyMs) {
        log.append(new PredictionRecord(clock.instant(), requestId, function, version,
                redactInputs ? null : input.json(), PredictionRecord.hashOf(input.canonical()),
                a.prediction(), a.confidence(), latencyMs));
    }
}
