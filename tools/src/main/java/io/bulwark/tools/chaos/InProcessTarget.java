package io.bulwark.tools.chaos;

import io.bulwark.chaos.ChaosProvider;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Reply;
import io.bulwark.chaos.experiment.Target;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.LlmChoice;
import io.bulwark.resilience.Cooldowns;
import java.util.Random;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.sentiment.SentimentProvider;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The sentiment function in this process, in simulated time: the chain as the app assembles it (without the
 * cost router, so that every request goes to the LLM first), with the
 * cheap LLM being the "true" label source behind the chaos decorator. Requests arrive open-loop, each at
 * its due time ({@link SimulatedTime#arrive}), so a slow answer does not delay the traffic behind it.
 * Breaker transitions are heard exactly, as they happen.
 */
final class InProcessTarget implements Target {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimulatedTime time = new SimulatedTime();
    private final HeardBreakerChanges pending = new HeardBreakerChanges();
    /** The names of the two providers of a two-provider scenario. */
    static final String PROVIDER_A = "a";
    static final String PROVIDER_B = "b";
    private final SentimentChain chain;

    InProcessTarget(SentimentChain.Settings settings, LocalSentimentModel local, String model,
                    FaultInjector injector, LabelSource truth) {
        this(settings, local, model, injector, null, truth, 0, null);
    }

    /**
     * With {@code second} (provider B's faults), the cheap tier is two providers of equal weight, A and B, drawn by
     * a generator seeded with {@code seed}; the breaker transitions reported are A's. With {@code hedge}, the cheap
     * tier hedges, its pairs replayed in simulated time.
     */
    InProcessTarget(SentimentChain.Settings settings, LocalSentimentModel local, String model,
                    FaultInjector injector, FaultInjector second, LabelSource truth, long seed,
                    io.bulwark.resilience.Hedge hedge) {
        String watched = second == null ? model : PROVIDER_A + ":" + model;
        BoundaryListener listener = new BoundaryListener() {
            @Override
            public void onTransition(Breaker.Transition t) {
                if (!t.name().equals(watched)) {
                    return;
                }
                pending.heard(now(), t.from(), t.to());
            }
        };
        SentimentProvider llm = new ChaosProvider(truth.asProvider(model), injector, time, time.clock());
        // No cost router (a fixed first choice): the experiments put the cheap LLM, behind the chaos decorator,
        // first on every request; a router would answer the plain texts locally and spare the LLM the faults.
        SentimentChain.Builder builder = SentimentChain.builder();
        if (second == null) {
            builder.cheapLlm(llm);
        } else {
            builder.cheapLlms(List.of(new LlmChoice(PROVIDER_A, llm, 1), new LlmChoice(PROVIDER_B,
                            new ChaosProvider(truth.asProvider(model), second, time, time.clock()), 1)))
                    .random(new Random(seed))
                    .cooldowns(Cooldowns.inProcess(time));
        }
        if (hedge != null) {
            builder.hedge(io.bulwark.resilience.Tier.LLM_CHEAP, hedge).hedgeSimulatedTime(time::arrive);
        }
        chain = builder
                .settings(settings)
                .localModel(local)
                .clock(time.clock())
                .ticker(time)
                .sleeper(time)
                .listener(listener)
                .callExecutor(SimulatedTime.callExecutor())
                .build();
    }

    @Override
    public Reply send(String text) {
        long start = time.read();
        try {
            // The chain's answer is the body of /sentiment as the function sends it; the experiments send only valid
            // texts, so the function's validation has nothing to add here.
            byte[] body = JSON.writeValueAsBytes(chain.classify(text).withRequestId(UUID.randomUUID().toString()));
            return new Reply(200, body, Duration.ofNanos(time.read() - start), null);
        } catch (RuntimeException e) {
            return Reply.escaped(e, Duration.ofNanos(time.read() - start));
        }
    }

    @Override
    public double now() {
        return time.read() / 1e9;
    }

    @Override
    public void waitUntil(double seconds) {
        // open-loop arrivals: a request arrives when due even if the one before is still running
        time.arrive((long) (seconds * 1e9));
    }

    @Override
    public List<BreakerEvent> breakerChanges(int request) {
        return pending.drain(request);
    }

    @Override
    public String mode() {
        return "in-process, simulated time";
    }

    @Override
    public void close() {
        chain.close();
    }
}
