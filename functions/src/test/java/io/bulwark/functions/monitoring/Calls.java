package io.bulwark.functions.monitoring;

import io.bulwark.functions.classifier.PredictFunction;
import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionCall;
import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentLabel;

import java.util.Map;

/** Function calls as the monitor sees them, for tests. */
final class Calls {

    private Calls() {
    }

    static FunctionCall sentiment(double latencyMs, String tier, String cache, String fallback, double cost) {
        boolean degraded = "local_model".equals(fallback) || "template".equals(fallback);
        String model = "local".equals(tier) ? "local-logreg-v2" : "gpt-4o-mini";
        Tier t = java.util.Arrays.stream(Tier.values()).filter(x -> x.code().equals(tier)).findFirst().orElseThrow();
        return new FunctionCall("sentiment", 200, (long) (latencyMs * 1e6), new SentimentAnswer(SentimentLabel.POSITIVE,
                0.9, cache, null, model, t, fallback, degraded, cost, java.time.Duration.ofNanos((long) (latencyMs * 1e6)),
                "id"));
    }

    static FunctionCall llm(double latencyMs) {
        return sentiment(latencyMs, "llm-cheap", null, null, 0.000015);
    }

    static FunctionCall exactHit() {
        return sentiment(1, "cache", "exact", null, 0);
    }

    static FunctionCall semanticHit() {
        return sentiment(5, "cache", "semantic", null, 0);
    }

    static FunctionCall fallback(String fallback) {
        return sentiment(300, "local", null, fallback, 0);
    }

    static FunctionCall status(String function, int status, double latencyMs) {
        Object body = status >= 400 && status < 500 ? new ApiError("bad", "bad", "x") : null;
        return new FunctionCall(function, status, (long) (latencyMs * 1e6), body);
    }

    static FunctionCall predict(String version) {
        return new FunctionCall("predict", 200, 2_000_000, new PredictFunction.Response("Gentoo", null, 0.99,
                Map.of("Gentoo", 0.99), version, false, null, false, 2.0, "id"));
    }
}
