package io.bulwark.models.predictionlog;

/**
 * The typed failure of a {@link PredictionLog#append}: the record was not written, and the log is as it was before
 * the call (a partly written line is cut off before the exception is thrown, or before the next append when even
 * that fails).
 */
public final class PredictionLogException extends RuntimeException {

    public PredictionLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
