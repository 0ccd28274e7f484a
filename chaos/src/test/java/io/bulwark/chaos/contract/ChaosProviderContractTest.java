package io.bulwark.chaos.contract;

import io.bulwark.chaos.ChaosProvider;
import io.bulwark.chaos.Fault;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.Latency;
import io.bulwark.chaos.Schedule;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Ticker;
import io.bulwark.sentiment.SentimentLabel;

import java.time.Duration;

/**
 * The chaos decorator, in simulated time, in each situation by a fault plan that always injects it.
 */
class ChaosProviderContractTest extends SentimentProviderContract {

    private final SimulatedTime time = new SimulatedTime();

    private Fixture chaos(SentimentLabel truth, Fault fault) {
        FaultPlan.Builder plan = FaultPlan.builder().baseLatency(Latency.fixed(Duration.ofMillis(250)));
        if (fault != null) {
            plan.during(Schedule.always()).inject(1.0, fault);
        }
        return new Fixture(new ChaosProvider(LabelSource.constant(truth).asProvider(MODEL),
                new FaultInjector(plan.build(), 1), time, time.clock()), "I love it");
    }

    @Override
    Fixture answering(SentimentLabel label) {
        return chaos(label, null);
    }

    @Override
    Fixture rateLimited(Duration retryAfter) {
        return chaos(SentimentLabel.POSITIVE, Fault.rateLimit(Fault.RetryAfter.MILLIS, retryAfter));
    }

    @Override
    Fixture serverError(int status) {
        return chaos(SentimentLabel.POSITIVE, Fault.serverError(status));
    }

    @Override
    Fixture authRefused(int status) {
        return chaos(SentimentLabel.POSITIVE, Fault.authRefused(status));
    }

    @Override
    Fixture silent() {
        return chaos(SentimentLabel.POSITIVE, Fault.hang(DEADLINE.multipliedBy(5)));
    }

    @Override
    Fixture garbage() {
        return chaos(SentimentLabel.POSITIVE, Fault.malformed(Fault.Content.PROSE));
    }

    @Override
    Ticker ticker() {
        return time;
    }
}
