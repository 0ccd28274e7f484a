package io.bulwark.chaos.classifier;

/**
 * What one request to the classifier got back, as the hypothesis reads it.
 *
 * @param status     200, or the refusal's status
 * @param error      the refusal's code (e.g. {@code server_busy}), null for an answer
 * @param prediction the label or {@code uncertain}; null for a refusal
 * @param bestGuess  the best guess of an uncertain answer, if any
 * @param version    the version that answered
 * @param fallback   the answer's {@code fallback}
 * @param degraded   the answer's {@code degraded}
 * @param expected   what the healthy previous version answers for the same input (the truth the run can know)
 * @param latencyMs  the time the request took
 * @param exception  an exception that escaped the function (its class and message), else null
 */
public record ClassifierReply(int status, String error, String prediction, String bestGuess, String version,
                              String fallback, boolean degraded, String expected, double latencyMs, String exception) {

    /** Returns true for an answer (200). */
    public boolean answered() {
        return status == 200 && exception == null;
    }
}
