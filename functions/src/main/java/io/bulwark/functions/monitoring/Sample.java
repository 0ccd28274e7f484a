package io.bulwark.functions.monitoring;

import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.digits.DigitsBatchFunction;
import io.bulwark.functions.digits.DigitsFunction;
import io.bulwark.functions.http.FunctionCall;
import io.bulwark.sentiment.SentimentAnswer;

/**
 * One request as the monitor keeps it. The sentiment fields (tier, cost) are null (0) for other functions; a
 * prediction carries its version, fallback and cache hit, a digit answer its version, fallback and degradation.
 *
 * @param model the model that answered: a sentiment answer's {@code model_used}, a prediction's or digit answer's
 *              version
 * @param cache {@code exact} or {@code semantic} for a sentiment cache hit, {@code exact} for a prediction cache hit
 * @param variant   a digit answer's variant ({@code int8}, {@code fp16}, {@code fp32}); null for other answers
 * @param digits    the digits a digit answer recognised (1 for {@code /digits}, the answered items of a batch)
 * @param uncertain how many of those were {@code uncertain}
 */
record Sample(long atMillis, String function, int status, double latencyMs, String tier, String cache,
              String fallback, boolean degraded, double costUsd, String model, String variant, int digits,
              int uncertain) {

    static final String SENTIMENT = "sentiment";

    /** The one place that knows which answers carry tier, cache, fallback, degradation, cost and model. */
    static Sample of(FunctionCall call, long atMillis) {
        return switch (call.body()) {
            case SentimentAnswer r -> new Sample(atMillis, call.function(), call.status(), call.latencyMs(),
                    r.tierCode(), r.cache(), r.fallback(), r.degraded(), r.costUsd(), r.model(), null, 0, 0);
            case PredictFunction.Response p -> new Sample(atMillis, call.function(), call.status(), call.latencyMs(),
                    null, p.cached() ? "exact" : null, p.fallback(), p.degraded(), 0.0, p.modelVersion(), null, 0, 0);
            case DigitsFunction.Response d -> new Sample(atMillis, call.function(), call.status(), call.latencyMs(),
                    null, null, d.fallback(), d.degraded(), 0.0, d.modelVersion(), d.variant(), 1,
                    "uncertain".equals(d.digit()) ? 1 : 0);
            case DigitsBatchFunction.Response d -> new Sample(atMillis, call.function(), call.status(),
                    call.latencyMs(), null, null, d.fallback(), d.degraded(), 0.0, d.modelVersion(), d.variant(),
                    (int) d.results().stream().filter(i -> i.error() == null).count(),
                    (int) d.results().stream().filter(i -> "uncertain".equals(i.digit())).count());
            case null, default -> new Sample(atMillis, call.function(), call.status(), call.latencyMs(), null, null,
                    null, false, 0.0, null, null, 0, 0);
        };
    }

    boolean sentimentAnswer() {
        return tier != null;
    }

    boolean serverError() {
        return status >= 500;
    }

    /** A failed request: a 5xx, or a sentiment answer the first choice could not give (any fallback). */
    boolean error() {
        return serverError() || sentimentAnswer() && fallback != null;
    }

    /** True for an answer of the digit recogniser ({@code /digits} or {@code /digits_batch}). */
    boolean digitAnswer() {
        return variant != null;
    }

    boolean cacheHit() {
        return cache != null;
    }
}
