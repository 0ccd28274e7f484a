package io.bulwark.tools.chaos;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Reply;
import io.bulwark.chaos.experiment.ServerControl;
import io.bulwark.chaos.experiment.Target;
import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.resilience.BoundaryListener;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.state.SharedState;
import io.bulwark.state.StateConfig;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Two instances of the sentiment function in this process, in real time, as two app instances build them with
 * {@code bulwark.state.redis-url} set: each its own chain (real OpenAI client against the {@link FakeLlmServer}), one
 * real {@code redis-server} shared by both for the daily budget, the exact cache's second level, rate limits and
 * breaker news. Requests alternate between the two. The run kills the Redis and starts it again
 * ({@link ServerControl}); after the run the target checks that sharing came back by itself.
 */
final class RedisKillTarget implements Target, ServerControl {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A fleet budget far above what a run spends: the budget is shared, not exhausted. */
    private static final double BUDGET_USD = 1_000;

    private final LocalRedis redis;
    private final List<SharedState> states = new ArrayList<>();
    private final List<SentimentChain> chains = new ArrayList<>();
    private final HeardBreakerChanges pending = new HeardBreakerChanges();
    private final long start;
    private final String tag;
    private int sent;
    private volatile long restartedNanos;
    /** When both instances were first seen sharing again after the restart (0: not yet). */
    private long backNanos;

    RedisKillTarget(SentimentChain.Settings settings, LocalSentimentModel local, String model, FakeLlmServer llm,
                    String tag) {
        this.tag = tag;
        try {
            redis = LocalRedis.start();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        BoundaryListener listener = new BoundaryListener() {
            @Override
            public void onTransition(Breaker.Transition t) {
                pending.heard(now(), t.from(), t.to());
            }
        };
        for (String instance : List.of("a", "b")) {
            SharedState state = SharedState.connect(StateConfig.of(redis.url()).withKeyPrefix("chaos:"));
            states.add(state);
            OpenAiSentimentProvider provider = OpenAiSentimentProvider.create(llm.baseUrl(), "chaos-key", model,
                    Duration.ofSeconds(5), OpenAiSentimentProvider.DEFAULT_MAX_TOKENS, Clock.systemUTC());
            provider.warmUp(); // as the app does at start-up
            chains.add(SentimentChain.builder()
                    .settings(settings.withSemantic(SentimentChain.Semantic.disabled()))
                    .localModel(local)
                    .cheapLlm(provider)
                    .ledger(new CostLedger(PriceTable.defaults(), DailyBudget.shared(BUDGET_USD, 0.8,
                            Clock.systemUTC(), state.spending())))
                    .rateLimiter(state.rateLimiter(Map.of(model, new RateLimit(1_000_000, 0)), Ticker.system()))
                    .cacheShare(state.cacheShare("none"))
                    .breakerNews(state.breakerNews())
                    .listener(listener)
                    .build());
        }
        // One answer per instance before the run, as a warmed instance of a fleet has given: the first call of a cold
        // JVM through the whole chain (the OpenAI client, Lettuce, the budget's scripts) can overrun the LLM's time
        // limit on its own, which is the cold start's matter, not this scenario's.
        for (int i = 0; i < chains.size(); i++) {
            chains.get(i).classify("Warming up instance " + i + " " + tag);
        }
        start = System.nanoTime();
    }

    @Override
    public Reply send(String text) {
        if (restartedNanos != 0 && backNanos == 0 && sharing()) {
            backNanos = System.nanoTime();
        }
        SentimentChain chain = chains.get(sent++ % 2);
        long t0 = System.nanoTime();
        try {
            byte[] body = JSON.writeValueAsBytes(chain.classify(text).withRequestId(UUID.randomUUID().toString()));
            return new Reply(200, body, Duration.ofNanos(System.nanoTime() - t0), null);
        } catch (RuntimeException e) {
            return Reply.escaped(e, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private boolean sharing() {
        return states.stream().allMatch(s -> s.health().available() && s.health().recoveries() > 0);
    }

    @Override
    public double now() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void waitUntil(double seconds) {
        long due = start + (long) (seconds * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait)); // real time: the request is due then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public List<BreakerEvent> breakerChanges(int request) {
        return pending.drain(request);
    }

    @Override
    public String mode() {
        return "in-process, real time, two instances on one real redis-server, real OpenAI client against the fake LLM";
    }

    @Override
    public void kill() {
        redis.kill();
    }

    @Override
    public void restart() {
        try {
            redis.restart();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        restartedNanos = System.nanoTime();
    }

    /**
     * {@code shared-state-back}: both instances noticed the outage (failures counted) and reconnected by themselves
     * (a recovery counted), within 10 s of the restart; {@code shared-again}: after it, a text answered by instance A
     * is a cache hit on instance B (the exact cache's second level, in Redis), and A's paid call is counted in the
     * fleet's spending in Redis.
     */
    @Override
    public List<Check> afterRestart() {
        long limit = restartedNanos + Duration.ofSeconds(10).toNanos();
        while (!sharing() && System.nanoTime() < limit) {
            waitUntil(now() + 0.05);
        }
        boolean back = sharing();
        if (back && backNanos == 0) {
            backNanos = System.nanoTime();
        }
        long failures = states.stream().mapToLong(s -> s.health().failures()).sum();
        long recoveries = states.stream().mapToLong(s -> s.health().recoveries()).sum();
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("shared-state-back", back && failures > 0, String.format(Locale.ROOT,
                "both instances %s; %d Redis calls failed or skipped while it was down, %d recoveries",
                back ? String.format(Locale.ROOT, "shared again within %.2f s of the restart (seen at the next"
                        + " request)", (backNanos - restartedNanos) / 1e9) : "did NOT share again within 10 s",
                failures, recoveries)));
        try {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            double before = states.getFirst().spending().read(today).spent();
            String text = "After the restart, this sentence is shared " + tag;
            SentimentAnswer onA = chains.get(0).classify(text);
            // read on A's connection: Redis answers it after A's cache write (sent without waiting) on that connection
            double after = states.get(0).spending().read(today).spent();
            SentimentAnswer onB = chains.get(1).classify(text);
            boolean shared = onA.tier() == Tier.LLM_CHEAP && onB.tier() == Tier.CACHE && after > before;
            checks.add(Check.of("shared-again", shared, String.format(Locale.ROOT,
                    "a text answered on A by %s is answered on B by %s; fleet spending in Redis $%.6f -> $%.6f",
                    onA.tier().code(), onB.tier().code(), before, after)));
        } catch (RuntimeException e) {
            checks.add(Check.of("shared-again", false, "Redis not reachable after the restart: " + e));
        }
        return checks;
    }

    @Override
    public void close() {
        chains.forEach(SentimentChain::close);
        states.forEach(SharedState::close);
        redis.close();
    }
}
