package io.bulwark.models.predictionlog;

import java.util.List;

/**
 * What befalls a log that writes on its own thread (the PostgreSQL log): where records dropped, batches committed and
 * failed writes are counted. Called on the appending thread ({@link #onDropped}) or the writer thread (the others);
 * must be quick and must not throw.
 */
public interface QueuedLogEvents {

    /** {@code record} found the queue full and was dropped; {@code droppedSoFar} counts every drop since the start. */
    default void onDropped(PredictionRecord record, long droppedSoFar) {
    }

    /** {@code batch} was committed, in this order: its records are acknowledged and survive a crash of the app. */
    default void onCommitted(List<PredictionRecord> batch) {
    }

    /** A batch of {@code pending} records could not be written; it is kept and retried after {@code retryInMillis}. */
    default void onWriteFailed(PredictionLogException failure, int pending, long retryInMillis) {
    }

    /** Counts nothing. */
    QueuedLogEvents NONE = new QueuedLogEvents() {
    };
}
