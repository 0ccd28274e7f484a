package io.bulwark.functions.classifier;

import io.bulwark.models.Answer;
import io.bulwark.models.Penguin;
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

    void answered(String function, String requestId, String version, Penguin p, Answer a, double latencyMs) {
        log.append(new PredictionRecord(clock.instant(), requestId, function, version,
                redactInputs ? null : inputJson(p), PredictionRecord.hashOf(p.canonical()),
                a.prediction(), a.confidence(), latencyMs));
    }

    /** Returns the penguin as compact JSON, for the prediction log. */
    static String inputJson(Penguin p) {
        return "{\"island\":\"" + p.island().wire() + "\",\"bill_length_mm\":" + p.billLengthMm()
                + ",\"bill_depth_mm\":" + p.billDepthMm() + ",\"flipper_length_mm\":" + p.flipperLengthMm()
                + ",\"body_mass_g\":" + p.bodyMassG() + ",\"sex\":\"" + p.sex().wire() + "\"}";
    }
}
