package io.bulwark.benchmarks;

import io.bulwark.costing.CostLedger;
import io.bulwark.costing.DailyBudget;
import io.bulwark.costing.PriceTable;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.limit.RateLimit;
import io.bulwark.resilience.limit.RateLimiter;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.state.SharedState;
import io.bulwark.state.StateConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What does sharing state through Redis add to one {@code /sentiment} request? The chain with a paid LLM that answers
 * at once (in process, so only the chain's own work is measured), a daily budget and a rate limit, with
 * {@code redis=off} (in-process state) and {@code redis=on} (a {@code redis-server} on loopback, started here: the
 * budget's hold and settle, the rate limit and the exact cache's second level go to Redis).
 * {@code l1Hit}: a repeated text from the in-memory exact cache (it must not touch Redis);
 * {@code miss}: a new text each time, answered by the LLM through the budget and the rate limit, then shared.
 * Sample time, so the report gives percentiles. Needs Debian's {@code redis-server} on the path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SharedStateBenchmark {

    private static final String REPEATED = "The battery lasts all day and the screen is gorgeous.";
    private static final String MODEL = "gpt-4o-mini";

    @Param({"off", "on"})
    public String redis;

    private Process server;
    private Path dir;
    private SharedState shared;
    private SentimentChain chain;
    private long next;

    /** An LLM that answers at once. */
    static final class InstantLlm implements SentimentProvider {
        @Override
        public String model() {
            return MODEL;
        }

        @Override
        public Sentiment classify(String text, Deadline deadline) {
            return new Sentiment(SentimentLabel.POSITIVE, 0.9, new TokenUsage(60, 10));
        }
    }

    @Setup
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        Map<String, RateLimit> limits = Map.of(MODEL, new RateLimit(100_000_000, 0));
        DailyBudget budget;
        RateLimiter limiter;
        SentimentChain.Builder b = SentimentChain.builder();
        if (redis.equals("on")) {
            dir = Files.createTempDirectory("bulwark-bench-redis");
            int port = freePort();
            server = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            waitFor(port);
            shared = SharedState.connect(StateConfig.of("redis://127.0.0.1:" + port).withKeyPrefix("bench:"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!shared.health().available()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("Redis did not answer");
                }
                Thread.sleep(10);
            }
            budget = DailyBudget.shared(1e9, 0.8, clock, shared.spending());
            limiter = shared.rateLimiter(limits, Ticker.system());
            b.cacheShare(shared.cacheShare("none")).breakerNews(shared.breakerNews());
        } else {
            budget = DailyBudget.of(1e9, 0.8, clock);
            limiter = RateLimiter.inProcess(limits, Ticker.system());
        }
        SentimentChain.Settings d = SentimentChain.Settings.defaults(Duration.ofSeconds(2));
        chain = b.settings(d.withSemantic(SentimentChain.Semantic.disabled()))
                .localModel(LocalSentimentModel.trainDefault())
                .cheapLlm(new InstantLlm())
                .ledger(new CostLedger(PriceTable.defaults(), budget))
                .rateLimiter(limiter)
                .listener(new BoundaryMetrics())
                .build();
        chain.classify(REPEATED);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }

    @TearDown
    public void tearDown() throws Exception {
        chain.close();
        if (shared != null) {
            shared.close();
        }
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public SentimentAnswer l1Hit() {
        return chain.classify(REPEATED);
    }

    @Benchmark
    public SentimentAnswer miss() {
        return chain.classify("A new review, number " + next++ + ", says the product works well.");
    }
}
