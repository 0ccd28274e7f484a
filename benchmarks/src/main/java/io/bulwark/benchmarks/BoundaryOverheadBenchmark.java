package io.bulwark.benchmarks;

import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Breaker;
import io.bulwark.resilience.BreakerConfig;
import io.bulwark.resilience.ErrorBoundary;
import io.bulwark.resilience.Outcome;
import io.bulwark.resilience.Route;
import io.bulwark.resilience.TemplateFallback;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.TimeLimit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What does the error boundary itself cost per request, around a provider that answers at once?
 * {@code bare}: deadline + fallback chain + metrics; {@code guarded}: the same around
 * {@code CircuitBreaker(TimeLimit(provider))}, as an LLM route is built (the time limit hands the call
 * to a virtual thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BoundaryOverheadBenchmark {

    private ErrorBoundary<String, String> boundary;
    private Route<String, String> bare;
    private Route<String, String> guarded;
    private ExecutorService executor;

    @Setup
    public void setUp() {
        boundary = ErrorBoundary.<String, String>builder()
                .listener(new BoundaryMetrics())
                .template(new TemplateFallback<>(q -> "uncertain"))
                .build();
        bare = Route.of(Tier.LLM_CHEAP, "instant", (q, d) -> "positive");
        executor = Executors.newVirtualThreadPerTaskExecutor();
        Breaker breaker = Breaker.create("instant", BreakerConfig.defaults(), Clock.systemUTC(), Ticker.system(),
                t -> { });
        guarded = breaker.decorate(TimeLimit.of(Duration.ofSeconds(1), Duration.ofMillis(50), executor)
                .decorate(bare));
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public Outcome<String> bare() {
        return boundary.execute("text", bare);
    }

    @Benchmark
    public Outcome<String> guarded() {
        return boundary.execute("text", guarded);
    }
}
