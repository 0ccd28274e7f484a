package io.bulwark.functions.state;

import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.Fault;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.Schedule;
import io.bulwark.costing.CostLedger;
import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.functions.config.Fleet;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.state.Await;
import io.bulwark.state.RedisServer;
import io.bulwark.state.SharedState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the app (two Spring contexts, each with its own HTTP port) sharing one real Redis
 * ({@code bulwark.state.redis-url}) and one fake OpenAI-compatible LLM: the daily budget, breaker news and the
 * answers while Redis is killed and restarted, over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {

    private static final double BUDGET = 0.0004;
    private static Path dir;
    private static RedisServer redis;
    private static FakeLlmServer llm;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("bulwark-fleet");
        redis = RedisServer.start(dir.resolve("redis"));
        llm = FakeLlmServer.start(0, new FaultInjector(FaultPlan.none(), 1), LabelSource.keywords(),
                Clock.systemUTC());
        a = instance("a");
        b = instance("b");
        for (ConfigurableApplicationContext app : List.of(a, b)) {
            SharedState s = app.getBean(Fleet.class).shared().orElseThrow();
            Await.until(Duration.ofSeconds(30), "connected to Redis", () -> s.health().available());
        }
    }

    private static ConfigurableApplicationContext instance(String name) {
        // Command-line arguments: they win over application.properties (default properties would not).
        return new SpringApplicationBuilder(BulwarkApplication.class).run(
                "--server.port=0",
                "--bulwark.llm.base-url=" + llm.baseUrl(),
                "--bulwark.llm.api-key=test-key",
                "--bulwark.router.enabled=false", // the cheap LLM is every request's first choice
                "--bulwark.cache.semantic.enabled=false",
                "--bulwark.cost.daily-budget=" + BUDGET,
                "--bulwark.cost.budget-file=" + dir.resolve(name + "-budget.json"),
                "--bulwark.breaker.sliding-window-size=4",
                "--bulwark.breaker.minimum-number-of-calls=4",
                "--bulwark.breaker.wait-in-open-state=10m",
                "--bulwark.state.redis-url=" + redis.url(),
                "--bulwark.state.key-prefix=fleet-it:",
                "--bulwark.state.timeout=1s", // a loaded 2-core machine; the outage test below is about a dead Redis
                "--bulwark.classifier.registry=" + dir.resolve(name + "-registry"),
                "--bulwark.prediction-log.backend=none",
                "--bulwark.admin-token=fleet-test-token");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[]{a, b}) {
            if (app != null) {
                app.close();
            }
        }
        if (llm != null) {
            llm.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static HttpClientSupport http(ConfigurableApplicationContext app) {
        return new HttpClientSupport(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    private static double fleetSpent() {
        SharedState s = a.getBean(Fleet.class).shared().orElseThrow();
        return s.spending().read(LocalDate.now(ZoneOffset.UTC)).spent();
    }

    @Test
    @Order(1)
    void should_keep_both_instances_within_one_daily_budget_and_answer_the_rest_from_the_local_model()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            HttpClientSupport http = http(i % 2 == 0 ? a : b);
            String body = "{\"text\": \"Review " + i + ": arrived on time and works well.\"}";
            replies.add(pool.submit(() -> http.postJson("/sentiment", body)));
        }
        int paid = 0;
        int local = 0;
        for (Future<Reply> f : replies) {
            Reply r = f.get();
            assertThat(r.status()).isEqualTo(200);
            String tier = r.json().path("tier").asString();
            assertThat(tier).as(r.raw()).isIn("llm-cheap", "local");
            if (tier.equals("local")) {
                assertThat(r.json().path("fallback").asString()).isEqualTo("local_model");
                local++;
            } else {
                paid++;
            }
        }
        pool.shutdown();

        // One call's largest cost at gpt-4o-mini's price: a prompt of well under 200 tokens and 20 output tokens.
        double oneCall = (200 * 0.15 + 20 * 0.60) / 1e6;
        double spent = fleetSpent();
        System.out.printf("FleetIT: budget $%.6f, fleet spent $%.6f in %d paid calls, %d local answers%n", BUDGET,
                spent, paid, local);
        assertThat(spent).isLessThanOrEqualTo(BUDGET + oneCall);
        assertThat(spent).isGreaterThan(BUDGET - oneCall);
        assertThat(local).isPositive();
        assertThat(llm.chatCalls()).isEqualTo(paid);
        redis.flushAll(); // a new day for the tests below, which need paid calls again
    }

    @Test
    @Order(2)
    void should_answer_on_b_from_the_cache_what_a_answered() {
        String text = "{\"text\": \"The strap broke after a week, very disappointing.\"}";
        Reply first = http(a).postJson("/sentiment", text);
        assertThat(first.json().path("tier").asString()).isEqualTo("llm-cheap");
        SentimentChain chainB = b.getBean(SentimentChain.class);
        long calls = llm.chatCalls();

        io.bulwark.resilience.cache.CacheShare shared = a.getBean(Fleet.class).shared().orElseThrow()
                .cacheShare("none");
        String key = io.bulwark.resilience.cache.ExactCache.keyOf("The strap broke after a week, very disappointing.");
        Await.until(Duration.ofSeconds(5), "A's answer stored in Redis",
                () -> shared.get(key).isPresent());

        Reply second = http(b).postJson("/sentiment", text);

        assertThat(second.json().path("cache").asString()).as(second.raw()).isEqualTo("exact");
        assertThat(second.json().path("sentiment").asString()).isEqualTo(first.json().path("sentiment").asString());
        assertThat(second.json().path("cost_usd").asDouble()).isZero();
        assertThat(llm.chatCalls()).isEqualTo(calls);
        assertThat(chainB.sharedCacheErrors()).isZero();
    }

    @Test
    @Order(3)
    void should_hear_within_a_second_that_the_other_instances_breaker_opened() {
        llm.use(new FaultInjector(FaultPlan.builder().during(Schedule.always()).inject(1.0, Fault.serverError(503))
                .build(), 1), LabelSource.keywords());
        try {
            for (int i = 0; i < 4; i++) {
                assertThat(http(a).postJson("/sentiment", "{\"text\": \"outage seen by A, " + i + "\"}").status())
                        .isEqualTo(200);
            }
            assertThat(a.getBean(SentimentChain.class).breakerStates()).containsEntry("gpt-4o-mini", "OPEN");
            Duration heard = Await.until(Duration.ofSeconds(1), "B's breaker opens",
                    () -> "OPEN".equals(b.getBean(SentimentChain.class).breakerStates().get("gpt-4o-mini")));
            System.out.println("FleetIT: breaker news reached B within " + heard.toMillis() + " ms");
        } finally {
            llm.use(new FaultInjector(FaultPlan.none(), 1), LabelSource.keywords());
        }
    }

    @Test
    @Order(4)
    void should_answer_every_request_while_redis_is_killed_and_count_in_redis_again_once_it_is_back()
            throws Exception {
        // Both breakers are open from the test before: answers come from the local model, quickly, every one
        // touching the shared rate limits and budget state on the way.
        AtomicBoolean running = new AtomicBoolean(true);
        List<Reply> replies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> loops = new ArrayList<>();
        for (ConfigurableApplicationContext app : List.of(a, b)) {
            HttpClientSupport http = http(app);
            loops.add(pool.submit(() -> {
                int i = 0;
                while (running.get()) {
                    replies.add(http.postJson("/sentiment", "{\"text\": \"outage loop " + app.getId() + " "
                            + i++ + " is fine\"}"));
                }
            }));
        }
        Await.until(Duration.ofSeconds(30), "answers before the outage", () -> replies.size() > 10);
        redis.kill();
        int atKill = replies.size();
        Await.until(Duration.ofSeconds(30), "answers during the outage", () -> replies.size() > atKill + 20);
        redis.start();
        for (ConfigurableApplicationContext app : List.of(a, b)) {
            SharedState s = app.getBean(Fleet.class).shared().orElseThrow();
            Await.until(Duration.ofSeconds(30), "shared again", () -> s.health().available());
            assertThat(s.health().failures()).isPositive();
        }
        running.set(false);
        for (Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();

        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("tier").asString()).as(r.raw()).isNotEqualTo("template");
            assertThat(r.json().path("latency_ms").asLong()).isLessThan(2000);
        });
        String metrics = http(a).get("/actuator/prometheus").raw();
        assertThat(metrics).contains("bulwark_shared_state_available").contains("bulwark_shared_state_failures");
    }
}
