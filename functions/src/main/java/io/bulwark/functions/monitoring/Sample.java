package io.bulwark.functions.monitoring;

import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.http.FunctionCall;
import io.bulwark.sentiment.SentimentAnswer;

/**
 * One request as the monitor keeps it. The sentiment fields are null (0, false) for other functions.
 *
 * @param model the model that answered: a sentiment answer's {@code model_used}, a prediction's version
 */
record Sample(long atMillis, String function, int status, double latencyMs, String tier, String cache,
              String fallback, boolean degraded, double costUsd, String model) {

    static final String SENTIMENT = "sentiment";

    /** The one place that knows which answers carry tier, cache, cost and model. */
    static Sample of(FunctionCall call, long atMillis) {
        if (call.body() instanceof SentimentAnswer r) {
            return new Sample(atMillis, call.function(), call.status(), call.latencyMs(), r.tierCode(), r.cache(),
                    r.fallback(), r.degraded(), r.costUsd(), r.model());
        }
        String model = call.body() instanceof PredictFunction.Response p ? p.modelVersion() : null;
        return new Sample(atMillis, call.function(), call.status(), call.latencyMs(), null, null, null, false, 0.0,
                model);
    }

    boolean sentimentAnswer() {
        return tier != null;
    }

    boolean serverError() {
        return status >= 500;
    }

    /** A failed request: a 5xx, or an answer the first choice could not give (any fallback). */
    boolean error() {
        return serverError() || fallback != null;
    }
}
