package io.bulwark.models.feedback;

/**
 * How feedback is joined to served predictions and turned into live accuracy.
 *
 * @param maxIndexed  served predictions remembered for feedback (the oldest are forgotten first): feedback on an older
 *                    request id is refused as unknown
 * @param window      the most recent feedback labels live accuracy is measured on, per version
 * @param minFeedback feedback labels a version needs before its live accuracy is compared with its held-out accuracy
 * @param maxLabelled labelled inputs kept for retraining (the most recent)
 * @param alertMargin live accuracy this far below the held-out accuracy is {@code below_held_out}
 */
public record FeedbackSettings(int maxIndexed, int window, int minFeedback, int maxLabelled, double alertMargin) {

    public static final int DEFAULT_MAX_INDEXED = 100_000;
    public static final int DEFAULT_WINDOW = 200;
    public static final int DEFAULT_MIN_FEEDBACK = 30;
    public static final int DEFAULT_MAX_LABELLED = 10_000;
    public static final double DEFAULT_ALERT_MARGIN = 0.05;

    public FeedbackSettings {
        if (maxIndexed < 1) {
            throw new IllegalArgumentException("bulwark.classifier.feedback.max-indexed must be at least 1: "
                    + maxIndexed);
        }
        if (window < 1) {
            throw new IllegalArgumentException("bulwark.classifier.feedback.window must be at least 1: " + window);
        }
        if (minFeedback < 1 || minFeedback > window) {
            throw new IllegalArgumentException("bulwark.classifier.feedback.min-feedback must be in [1, window ("
                    + window + ")]: " + minFeedback);
        }
        if (maxLabelled < 0) {
            throw new IllegalArgumentException("bulwark.classifier.feedback.max-labelled must be 0 or more: "
                    + maxLabelled);
        }
        if (!(alertMargin >= 0 && alertMargin <= 1)) {
            throw new IllegalArgumentException("bulwark.classifier.accuracy-alert-margin must be in [0, 1]: "
                    + alertMargin);
        }
    }

    public static FeedbackSettings defaults() {
        return new FeedbackSettings(DEFAULT_MAX_INDEXED, DEFAULT_WINDOW, DEFAULT_MIN_FEEDBACK, DEFAULT_MAX_LABELLED,
                DEFAULT_ALERT_MARGIN);
    }
}
