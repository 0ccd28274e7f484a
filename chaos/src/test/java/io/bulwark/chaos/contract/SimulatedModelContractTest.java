package io.bulwark.chaos.contract;

import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Ticker;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.simulate.LabelledQuery;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulatedModel;
import io.bulwark.sentiment.simulate.Workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The cost simulator's model, in simulated time, in each situation by its profile: a failure rate as close
 * to every call as the profile allows (its rates must sum below 1), or a latency past the deadline.
 */
class SimulatedModelContractTest extends SentimentProviderContract {

    /** A one-request workload; the model answers only texts of its workload. */
    private static final String SCENARIO = """
            name: contract
            seed: 7
            sample: 1
            traffic: {requests_per_day: 1000}
            tokens: {input: {mean: 120}, output: {mean: 40}}
            models:
              %s: {accuracy: 1, latency_ms: {p50: 100, p95: 100}}
            reference: %s
            strategies:
              - {name: only, cheap: %s}
            """.formatted(MODEL, MODEL, MODEL);
    private static final double ALWAYS = Math.nextDown(1.0);

    private final SimulatedTime time = new SimulatedTime();

    private record Profile(double p50Ms, double rateLimited, double retryAfterMs, double unavailable,
                           double malformed) {
        static final Profile FAST = new Profile(100, 0, 0, 0, 0);
    }

    private Fixture simulated(SentimentLabel label, Profile p) {
        Workload workload = Workload.generate(Scenario.parse(SCENARIO, Path.of(".")),
                List.of(new LabelledQuery("I love it.", label), new LabelledQuery("Works like a charm.", label)),
                new ComplexityEstimator(text -> 0.5));
        Scenario.ModelProfile profile = new Scenario.ModelProfile(MODEL, 1.0, p.p50Ms(), p.p50Ms(), 50,
                p.rateLimited(), p.retryAfterMs(), p.unavailable(), p.malformed());
        return new Fixture(new SimulatedModel(profile, workload, time, 7, 0.5, true),
                workload.requests().getFirst().text());
    }

    @Override
    Fixture answering(SentimentLabel label) {
        return simulated(label, Profile.FAST);
    }

    @Override
    Fixture rateLimited(Duration retryAfter) {
        return simulated(SentimentLabel.POSITIVE, new Profile(100, ALWAYS, retryAfter.toMillis(), 0, 0));
    }

    @Override
    Fixture serverError(int status) {
        // The profile has one rate for every 5xx and broken connection: the status cannot be chosen.
        return simulated(SentimentLabel.POSITIVE, new Profile(100, 0, 0, ALWAYS, 0));
    }

    @Override
    Fixture authRefused(int status) {
        return abort("a simulated model has no credentials to refuse");
    }

    @Override
    Fixture silent() {
        return simulated(SentimentLabel.POSITIVE, new Profile(DEADLINE.multipliedBy(5).toMillis(), 0, 0, 0, 0));
    }

    @Override
    Fixture garbage() {
        return simulated(SentimentLabel.POSITIVE, new Profile(100, 0, 0, 0, ALWAYS));
    }

    @Override
    Ticker ticker() {
        return time;
    }
}
