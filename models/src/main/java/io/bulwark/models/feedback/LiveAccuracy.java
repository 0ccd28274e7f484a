package io.bulwark.models.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A version's accuracy on the feedback labels of its recent answers, beside its held-out accuracy.
 *
 * @param heldOutAccuracy the accuracy measured on its held-out rows when it was trained; null when unknown
 * @param liveAccuracy    the share of the last {@code window} feedback labels its answer (its best guess when it said
 *                        uncertain) matched; null without feedback
 * @param feedback        feedback labels in the window
 * @param correct         of which its answer matched
 * @param drop            held-out minus live accuracy; null while either is unknown
 * @param verdict         {@link #INSUFFICIENT_FEEDBACK} below {@code minFeedback} labels, {@link #BELOW_HELD_OUT} when
 *                        the drop is more than the margin, else {@link #OK}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"version", "verdict", "held_out_accuracy", "live_accuracy", "drop", "margin", "feedback", "correct",
        "window", "min_feedback"})
public record LiveAccuracy(String version, String verdict, @JsonProperty("held_out_accuracy") Double heldOutAccuracy,
                           @JsonProperty("live_accuracy") Double liveAccuracy, Double drop, double margin,
                           int feedback, int correct, int window, @JsonProperty("min_feedback") int minFeedback) {

    public static final String INSUFFICIENT_FEEDBACK = "insufficient_feedback";
    public static final String OK = "ok";
    public static final String BELOW_HELD_OUT = "below_held_out";

    /** True when there are enough labels to compare. */
    public boolean measured() {
        return !INSUFFICIENT_FEEDBACK.equals(verdict) && drop != null;
    }
}
