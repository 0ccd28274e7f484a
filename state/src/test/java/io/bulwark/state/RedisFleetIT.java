package io.bulwark.state;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.Fault;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.Schedule;
import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.costing.TokenEstimator;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.cache.ExactCache;
import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sentiment chain (as two app instances build it) against one real Redis and a fake
 * OpenAI-compatible LLM on WireMock: what the fleet shares holds across both.
 */
class RedisFleetIT {

    private static final String MODEL = "gpt-4o-mini";
    private static LocalSentimentModel local;

    @TempDir
    Path dir;
    private RedisServer redis;
    private FakeLlmServer llm;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void train() {
        local = LocalSentimentModel.trainDefault();
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        llm = FakeLlmServer.start(0, new FaultInjector(FaultPlan.none(), 1), LabelSource.keywords(),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        llm.close();
        redis.close();
    }

    private SharedState instance(Duration timeout) {
        SharedState s = SharedState.connect(StateConfig.of(redis.url()).withKeyPrefix("fleet:").withTimeout(timeout));
        open.add(s);
        Await.until(Duration.ofSeconds(20), "connected to Redis", () -> s.health().available());
        return s;
    }

    private SentimentChain chain(SharedState state, String baseUrl, double dailyBudget, Map<String, RateLimit> limits) {
        return chain(state, baseUrl, dailyBudget, limits, false);
    }

    private SentimentChain chain(SharedState state, String baseUrl, double dailyBudget, Map<String, RateLimit> limits,
                                 boolean semantic) {
        SentimentChain.Settings settings = new SentimentChain.Settings(Duration.ofSeconds(2),
                SentimentChain.Settings.DEFAULT_RESERVE, SentimentChain.Settings.DEFAULT_LLM_TIMEOUT,
                SentimentChain.Settings.DEFAULT_FALLBACK_TIMEOUT, SentimentChain.Settings.DEFAULT_MINIMUM_RETRY_CALL,
                ExactCache.DEFAULT_MAXIMUM_SIZE, ExactCache.DEFAULT_TTL,
                new BreakerConfig(50, 4, 4, Duration.ofSeconds(30), 1),
                semantic ? SentimentChain.Semantic.defaults() : SentimentChain.Semantic.disabled());
        DailyBudget budget = dailyBudget > 0
                ? DailyBudget.shared(dailyBudget, 0.8, Clock.systemUTC(), state.spending())
                : DailyBudget.unlimited(Clock.systemUTC());
        OpenAiSentimentProvider provider = OpenAiSentimentProvider.create(baseUrl, "test-key", MODEL,
                Duration.ofSeconds(5), OpenAiSentimentProvider.DEFAULT_MAX_TOKENS, Clock.systemUTC());
        provider.warmUp(); // as the app does at start-up: a cold client's first call may overrun the time limit
        SentimentChain.Builder builder = SentimentChain.builder();
        builder.cacheShare(state.cacheShare(semantic ? embedder().name() : "none"));
        if (semantic) {
            builder.embedder(embedder());
        }
        SentimentChain chain = builder
                .settings(settings)
                .localModel(local)
                .cheapLlm(provider)
                .ledger(new CostLedger(PriceTable.defaults(), budget))
                .rateLimiter(state.rateLimiter(limits, Ticker.system()))
                .breakerNews(state.breakerNews())
                .build();
        open.add(chain);
        return chain;
    }

    private static io.bulwark.resilience.embedding.Embedder miniLm;

    private static synchronized io.bulwark.resilience.embedding.Embedder embedder() {
        if (miniLm == null) {
            miniLm = io.bulwark.resilience.embedding.Embedders.miniLm();
        }
        return miniLm;
    }

    @Test
    void should_serve_on_b_an_exact_and_a_semantic_hit_of_what_a_answered_but_not_a_negated_variant() {
        SentimentChain a = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, Map.of(), true);
        SentimentChain b = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, Map.of(), true);
        String text = "The battery life of this phone is excellent.";

        SentimentAnswer first = a.classify(text);
        assertThat(first.tier()).isEqualTo(Tier.LLM_CHEAP);
        long answered = System.nanoTime();
        Await.until(Duration.ofSeconds(5), "A's answer reaches B", () -> b.sharedEntriesReceived() > 0);
        System.out.printf("semantic entry reached B %d ms after A answered%n",
                Duration.ofNanos(System.nanoTime() - answered).toMillis());
        long calls = llm.chatCalls();

        SentimentAnswer exact = b.classify("  the battery life of this PHONE is excellent.");
        SentimentAnswer similar = b.classify("The battery life on this phone is excellent.");
        SentimentAnswer negated = b.classify("The battery life of this phone is not excellent.");

        assertThat(exact.cache()).isEqualTo("exact");
        assertThat(exact.label()).isEqualTo(first.label());
        assertThat(similar.cache()).as(similar.toString()).isEqualTo("semantic");
        assertThat(similar.label()).isEqualTo(first.label());
        assertThat(negated.cache()).as(negated.toString()).isNull();
        assertThat(llm.chatCalls()).isEqualTo(calls + 1); // the negated variant only
    }

    @Test
    void should_find_in_redis_an_exact_answer_that_b_has_not_heard_of_yet() {
        SharedState stateA = instance(Duration.ofSeconds(1));
        SentimentChain a = chain(stateA, llm.baseUrl(), 0, Map.of(), false);
        SentimentChain b = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, Map.of(), false);
        String text = "Shipping was quick and the fit is perfect.";
        SentimentAnswer first = a.classify(text);
        io.bulwark.resilience.cache.CacheShare shared = stateA.cacheShare("none");
        Await.until(Duration.ofSeconds(5), "A's answer stored in Redis",
                () -> shared.get(io.bulwark.resilience.cache.ExactCache.keyOf(text)).isPresent());
        long calls = llm.chatCalls();

        SentimentAnswer second = b.classify(text);

        assertThat(second.cache()).isEqualTo("exact");
        assertThat(second.label()).isEqualTo(first.label());
        assertThat(second.model()).isEqualTo(MODEL);
        assertThat(llm.chatCalls()).isEqualTo(calls);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    @Test
    void should_keep_two_instances_within_one_daily_budget_and_answer_the_rest_from_the_local_model()
            throws Exception {
        SharedState stateA = instance(Duration.ofSeconds(2));
        SharedState stateB = instance(Duration.ofSeconds(2));
        double budget = 0.0005;
        SentimentChain a = chain(stateA, llm.baseUrl(), budget, Map.of());
        SentimentChain b = chain(stateB, llm.baseUrl(), budget, Map.of());

        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            texts.add("Review number " + i + ": the product arrived on time and works well.");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<SentimentAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            SentimentChain instance = i % 2 == 0 ? a : b;
            String text = texts.get(i);
            answers.add(pool.submit(() -> instance.classify(text)));
        }
        int paid = 0;
        int localAnswers = 0;
        for (Future<SentimentAnswer> f : answers) {
            SentimentAnswer r = f.get();
            assertThat(r.tier()).as(r.toString()).isIn(Tier.LLM_CHEAP, Tier.LOCAL);
            assertThat(r.label()).isNotEqualTo(SentimentLabel.UNCERTAIN);
            if (r.tier() == Tier.LOCAL) {
                assertThat(r.fallback()).isEqualTo("local_model");
                localAnswers++;
            } else {
                paid++;
            }
        }
        pool.shutdown();

        // The bound: the last hold granted below the limit, the largest cost one call may have.
        TokenEstimator t = TokenEstimator.forModel(MODEL);
        double largestHold = texts.stream().mapToDouble(text -> PriceTable.defaults().cost(MODEL,
                t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text),
                OpenAiSentimentProvider.DEFAULT_MAX_TOKENS)).max().orElseThrow();
        double spent = stateA.spending().read(today()).spent();
        System.out.printf("fleet budget $%.6f: spent $%.6f (overspend $%.6f, bound $%.6f) in %d paid calls; "
                + "%d answered by the local model%n", budget, spent, Math.max(0, spent - budget), largestHold, paid,
                localAnswers);
        assertThat(spent).isLessThanOrEqualTo(budget + largestHold);
        assertThat(spent).isGreaterThan(budget - largestHold); // the fleet used its money
        assertThat(llm.chatCalls()).isEqualTo(paid);
        assertThat(localAnswers).isPositive();
        assertThat(stateA.health().failures() + stateB.health().failures()).isZero();
    }

    @Test
    void should_skip_a_model_on_b_within_a_second_of_its_breaker_opening_on_a() throws Exception {
        FakeLlmServer failing = FakeLlmServer.start(0, new FaultInjector(FaultPlan.builder()
                .during(Schedule.always()).inject(1.0, Fault.serverError(503)).build(), 1), LabelSource.keywords(),
                Clock.systemUTC());
        open.add(failing);
        SentimentChain a = chain(instance(Duration.ofSeconds(1)), failing.baseUrl(), 0, Map.of());
        SentimentChain b = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, Map.of());
        assertThat(b.classify("Warm-up: B reaches its healthy model.").tier()).isEqualTo(Tier.LLM_CHEAP);

        for (int i = 0; i < 4; i++) {
            a.classify("A's outage, text " + i);
        }
        long opened = System.nanoTime();
        assertThat(a.breakerStates()).containsEntry(MODEL, "OPEN");
        Duration heard = Await.until(Duration.ofSeconds(1), "B's breaker of " + MODEL + " opens",
                () -> "OPEN".equals(b.breakerStates().get(MODEL)));
        System.out.printf("breaker news reached B %d ms after A's breaker opened (awaited from %d ms)%n",
                heard.toMillis(), Duration.ofNanos(System.nanoTime() - opened).toMillis());

        long before = llm.chatCalls();
        SentimentAnswer skipped = b.classify("B skips the model until its own half-open trial.");
        assertThat(skipped.tier()).isEqualTo(Tier.LOCAL);
        assertThat(llm.chatCalls()).isEqualTo(before);
    }

    @Test
    void should_hold_a_requests_per_minute_limit_across_both_instances_routing_the_rest() {
        Map<String, RateLimit> limits = Map.of(MODEL, new RateLimit(6, 0));
        SentimentChain a = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, limits);
        SentimentChain b = chain(instance(Duration.ofSeconds(1)), llm.baseUrl(), 0, limits);

        int throttled = 0;
        for (int i = 0; i < 20; i++) {
            SentimentAnswer r = (i % 2 == 0 ? a : b).classify("Request " + i + " under one shared limit, fine.");
            assertThat(r.tier()).as(r.toString()).isIn(Tier.LLM_CHEAP, Tier.LOCAL);
            if (r.tier() == Tier.LOCAL) {
                assertThat(r.fallback()).isEqualTo("local_model");
                throttled++;
            }
        }

        // 6 a minute, refilled continuously: a test of a few seconds may see one more
        assertThat(llm.chatCalls()).isBetween(6L, 7L);
        assertThat(throttled).isEqualTo(20 - (int) llm.chatCalls());
    }

    @Test
    void should_answer_within_the_deadline_while_redis_stalls_and_share_again_after() throws Exception {
        SharedState state = instance(Duration.ofMillis(100)); // the default time-out
        SentimentChain chain = chain(state, llm.baseUrl(), 10.0, Map.of(MODEL, new RateLimit(100_000, 0)));
        chain.classify("Before the stall, a paid answer.");

        Thread stall = redis.stall(2.5); // every Redis command now takes 2.5 s
        Await.until(Duration.ofSeconds(5), "Redis stalls", () -> {
            try {
                state.spending().read(today());
                return false;
            } catch (SharedStateUnavailable e) {
                return true;
            }
        });
        List<SentimentAnswer> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            during.add(chain.classify("During the stall, text " + i + " is fine."));
        }
        stall.join();
        Await.until(Duration.ofSeconds(10), "Redis answers again", () -> state.health().available()
                || tryRead(state));

        assertThat(during).allSatisfy(r -> {
            assertThat(r.tier()).as(r.toString()).isEqualTo(Tier.LLM_CHEAP);
            assertThat(r.latency()).isLessThan(Duration.ofSeconds(2));
        });
        assertThat(state.health().failures()).isPositive();
        double before = state.spending().read(today()).spent();
        chain.classify("After the stall, counted in Redis again.");
        assertThat(state.spending().read(today()).spent()).isGreaterThan(before);
    }

    private static boolean tryRead(SharedState state) {
        try {
            state.spending().read(today());
            return true;
        } catch (SharedStateUnavailable e) {
            return false;
        }
    }

    @Test
    void should_answer_every_request_while_redis_is_killed_and_share_again_once_it_is_back() throws Exception {
        SharedState stateA = instance(Duration.ofMillis(200));
        SharedState stateB = instance(Duration.ofMillis(200));
        Map<String, RateLimit> limits = Map.of(MODEL, new RateLimit(100_000, 0));
        SentimentChain a = chain(stateA, llm.baseUrl(), 10.0, limits);
        SentimentChain b = chain(stateB, llm.baseUrl(), 10.0, limits);
        AtomicBoolean running = new AtomicBoolean(true);
        List<SentimentAnswer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> loops = new ArrayList<>();
        for (SentimentChain chain : List.of(a, b)) {
            loops.add(pool.submit(() -> {
                int i = 0;
                while (running.get()) {
                    answers.add(chain.classify("Loop " + chain.hashCode() + " text " + i++ + " is fine."));
                }
            }));
        }
        Await.until(Duration.ofSeconds(30), "answers before the outage", () -> answers.size() > 20);
        redis.kill();
        int atKill = answers.size();
        Await.until(Duration.ofSeconds(30), "answers during the outage", () -> answers.size() > atKill + 40);
        assertThat(stateA.health().available()).isFalse();
        redis.start();
        Await.until(Duration.ofSeconds(30), "both instances share again",
                () -> stateA.health().available() && stateB.health().available());
        running.set(false);
        for (Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.tier()).as(r.toString()).isEqualTo(Tier.LLM_CHEAP);
            assertThat(r.latency()).isLessThan(Duration.ofSeconds(2));
        });
        // Back: what both spend is counted in Redis again (the restarted Redis starts the day from what they hand
        // over).
        double before = stateA.spending().read(today()).spent();
        a.classify("After the outage, instance A pays.");
        b.classify("After the outage, instance B pays.");
        assertThat(stateB.spending().read(today()).spent()).isGreaterThan(before);
        assertThat(stateA.health().recoveries()).isPositive();
    }
}
