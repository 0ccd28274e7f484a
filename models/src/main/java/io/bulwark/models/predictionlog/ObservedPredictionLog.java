package io.bulwark.models.predictionlog;

import java.util.List;
import java.util.function.Consumer;

/** A log that reports each failed append to a listener, then rethrows it. */
final class ObservedPredictionLog implements PredictionLog {

    private final PredictionLog log;
    private final Consumer<PredictionLogException> onFailure;

    ObservedPredictionLog(PredictionLog log, Consumer<PredictionLogException> onFailure) {
        this.log = log;
        this.onFailure = onFailure;
    }

    @Override
    public void append(PredictionRecord record) {
        try {
            log.append(record);
        } catch (PredictionLogException e) {
            onFailure.accept(e);
            throw e;
        }
    }

    @Override
    public void appendAll(List<PredictionRecord> records) {
        try {
            log.appendAll(records);
        } catch (PredictionLogException e) {
            onFailure.accept(e);
            throw e;
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
