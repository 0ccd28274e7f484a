package io.bulwark.tools.chaos;

import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.experiment.ChaosRunner;
import io.bulwark.chaos.experiment.Experiment;
import io.bulwark.chaos.experiment.RunResult;
import io.bulwark.chaos.experiment.Scenario;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.chaos.experiment.Traffic;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.BreakerConfig;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs chaos scenarios against the real sentiment function, two ways:
 * <ul>
 *   <li>{@link #inProcess}: the chain exactly as the app assembles it with its default settings, the chaos
 *       decorator around the LLM, in simulated time: fast and bit-for-bit reproducible from the seed;</li>
 *   <li>{@link #overHttp}: a running local runner over HTTP, its real OpenAI client talking to the
 *       {@link FakeLlmServer}, in real time: exercises the client, its time-outs, its error mapping and the
 *       HTTP adapter. The faults are decided the same way; latencies are measured, so they vary a little.</li>
 * </ul>
 * The traffic is the held-out amazon sentences (never trained on), whose labels are the truth the fake LLM
 * answers with.
 */
public final class ChaosExperiments {

    /** The cheap model the fake LLM stands in for (priced in the default price table). */
    public static final String MODEL = "gpt-4o-mini";
    /** The app's default deadline, which in-process runs use. */
    public static final Duration DEADLINE = Duration.ofSeconds(2);

    private static volatile List<Traffic.Item> corpus;

    private ChaosExperiments() {
    }

    /** Returns the default settings of the app's chain. */
    public static SentimentChain.Settings defaultSettings() {
        return SentimentChain.Settings.defaults(DEADLINE);
    }

    /** Returns the failures after which the default breaker must be open. */
    public static int defaultOpensWithin() {
        BreakerConfig b = BreakerConfig.defaults();
        return Experiment.opensWithin(b.failureRateThreshold(), b.slidingWindowSize());
    }

    /** Runs {@code scenario} in this process, in simulated time, with the app's default settings. */
    public static Summary inProcess(Scenario scenario, int requests, long seed, LocalSentimentModel local,
                                    IntConsumer progress) {
        return inProcess(scenario, requests, seed, local, defaultSettings(), progress);
    }

    /** Runs {@code scenario} in this process, in simulated time, with the chain built from {@code settings}. */
    public static Summary inProcess(Scenario scenario, int requests, long seed, LocalSentimentModel local,
                                    SentimentChain.Settings settings, IntConsumer progress) {
        return inProcess(scenario, requests, seed, local, settings, null, progress);
    }

    /** As above, the cheap tier hedged by {@code hedge} when not null (replayed in simulated time). */
    public static Summary inProcess(Scenario scenario, int requests, long seed, LocalSentimentModel local,
                                    SentimentChain.Settings settings, io.bulwark.resilience.Hedge hedge,
                                    IntConsumer progress) {
        Experiment experiment = new Experiment(scenario, requests, seed, settings.deadline(),
                Experiment.opensWithin(settings.breaker().failureRateThreshold(), settings.breaker().slidingWindowSize()));
        FaultInjector injector = new FaultInjector(scenario.plan(), seed);
        // provider B's faults are drawn from their own stream, so that A's are those of A alone
        FaultInjector second = scenario.secondProvider().map(plan -> new FaultInjector(plan, seed + 1)).orElse(null);
        Traffic traffic = new Traffic(corpus(), Traffic.DEFAULT_REPEAT_SHARE, seed, "");
        try (InProcessTarget target = new InProcessTarget(settings, local, MODEL,
                injector, second, traffic.truth(), seed, hedge)) {
            RunResult run = ChaosRunner.run(experiment, target, injector, traffic, progress);
            return Summary.of(run);
        }
    }

    /**
     * Runs {@code scenario} over HTTP against the runner at {@code target}, which must call {@code llm} as
     * its LLM; {@code deadline} and {@code opensWithin} are the runner's settings the hypothesis holds it to.
     * Texts carry {@code tag} so that the cache of a runner used before cannot answer them.
     */
    public static Summary overHttp(Scenario scenario, int requests, long seed, URI target, FakeLlmServer llm,
                                   Duration deadline, int opensWithin, String tag, IntConsumer progress) {
        if (scenario.secondProvider().isPresent()) {
            throw new IllegalArgumentException("scenario " + scenario.name() + " has two providers: in process only"
                    + " (a runner over HTTP calls one fake LLM)");
        }
        Experiment experiment = new Experiment(scenario, requests, seed, deadline, opensWithin);
        FaultInjector injector = new FaultInjector(scenario.plan(), seed);
        Traffic traffic = new Traffic(corpus(), Traffic.DEFAULT_REPEAT_SHARE, seed, tag);
        llm.use(injector, traffic.truth());
        try (HttpTarget http = new HttpTarget(target, deadline.multipliedBy(5))) {
            RunResult run = ChaosRunner.run(experiment, http, injector, traffic, progress);
            return Summary.of(run);
        }
    }

    /**
     * Runs a scenario that kills the shared Redis ({@link io.bulwark.chaos.experiment.Scenarios#REDIS_KILLED}): two
     * instances of the chain in this process, in real time, a real {@code redis-server} this run starts, kills and
     * starts again, and the fake LLM over HTTP on a free port. Texts carry {@code tag}.
     */
    public static Summary redisKilled(Scenario scenario, int requests, long seed, LocalSentimentModel local,
                                      String tag, IntConsumer progress) {
        SentimentChain.Settings settings = defaultSettings();
        Experiment experiment = new Experiment(scenario, requests, seed, settings.deadline(),
                Experiment.opensWithin(settings.breaker().failureRateThreshold(), settings.breaker().slidingWindowSize()));
        FaultInjector injector = new FaultInjector(scenario.plan(), seed);
        Traffic traffic = new Traffic(corpus(), Traffic.DEFAULT_REPEAT_SHARE, seed, tag);
        try (FakeLlmServer llm = FakeLlmServer.start(0, injector, traffic.truth(), java.time.Clock.systemUTC());
             RedisKillTarget target = new RedisKillTarget(settings, local, MODEL, llm, tag)) {
            RunResult run = ChaosRunner.run(experiment, target, target, injector, traffic, progress);
            return Summary.of(run);
        }
    }

    /** The held-out amazon sentences, loaded once. */
    static List<Traffic.Item> corpus() {
        List<Traffic.Item> c = corpus;
        if (c == null) {
            c = SentimentCorpus.heldOut().stream().map(t -> new Traffic.Item(t.text(), t.label())).toList();
            corpus = c;
        }
        return c;
    }
}
