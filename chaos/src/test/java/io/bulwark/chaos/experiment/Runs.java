package io.bulwark.chaos.experiment;

import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.Schedule;
import io.bulwark.sentiment.SentimentLabel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made runs for testing the hypothesis and the reports. */
final class Runs {

    static final Scenario PLAIN = new Scenario("plain", "no faults", FaultPlan.none(), Duration.ofSeconds(10), null);
    static final Scenario OUTAGE = new Scenario("outage", "outage 30%..60%", FaultPlan.none(), Duration.ofSeconds(10),
            new Schedule.Window(0.3, 0.6));

    private Runs() {
    }

    static String body(String sentiment, String tier, String fallback, boolean degraded) {
        boolean cached = "cache".equals(tier);
        return """
                {"sentiment": "%s", "confidence": 0.9, "cached": %s, "cache": %s, "model_used": "gpt-4o-mini",
                 "tier": "%s", "degraded": %s, "fallback": %s, "cost_usd": 0.00001, "latency_ms": 12,
                 "request_id": "r-1", "similarity": null}""".formatted(sentiment, cached, cached ? "\"exact\"" : "null", tier, degraded,
                fallback == null ? "null" : "\"" + fallback + "\"");
    }

    static Reply ok(String body, long latencyMs) {
        return new Reply(200, body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(latencyMs), null);
    }

    static Observation observe(int i, Reply reply) {
        return ResponseCheck.check(i, i, reply, SentimentLabel.POSITIVE);
    }

    /** {@code n} good answers from the LLM, 100 ms each. */
    static List<Observation> good(int n) {
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            obs.add(observe(i, ok(body("positive", "llm-cheap", null, false), 100)));
        }
        return obs;
    }

    static RunResult run(Scenario scenario, List<Observation> obs, List<BreakerEvent> events, long[] failing) {
        Experiment e = new Experiment(scenario, obs.size(), 1, Duration.ofSeconds(2), 10);
        return new RunResult(e, "test", obs, events, failing, Map.of("none", (long) obs.size()), obs.size(), obs.size());
    }

    static RunResult run(List<Observation> obs) {
        return run(PLAIN, obs, List.of(), new long[obs.size()]);
    }
}
