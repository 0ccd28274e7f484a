package io.bulwark.benchmarks;

import io.bulwark.costing.PriceTable;
import io.bulwark.functions.sentiment.SentimentChain;
import io.bulwark.functions.sentiment.SentimentFunction;
import io.bulwark.functions.sentiment.SentimentResult;
import io.bulwark.functions.sentiment.local.LabelledText;
import io.bulwark.functions.sentiment.local.LocalSentimentModel;
import io.bulwark.functions.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.sentiment.Sentiment;
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
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What does one {@code /sentiment} request cost inside the process, with no LLM configured?
 * {@code exactCacheHit}: a repeated text answered by the chain from the exact cache;
 * {@code localModel}: a new text answered by the local model through the boundary (cache miss);
 * {@code localModelAlone}: the local model without the chain, for comparison;
 * {@code functionCacheHit}: the whole function on a cache hit, JSON bytes in and out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SentimentPathBenchmark {

    private static final String REPEATED = "The battery lasts all day and the screen is gorgeous.";

    private LocalSentimentModel local;
    private SentimentChain chain;
    private SentimentFunction function;
    private Message<byte[]> repeatedRequest;
    private String[] fresh;
    private int next;
    private final Deadline noDeadline = Deadline.after(Duration.ofDays(1), Ticker.system());

    @Setup
    public void setUp() {
        local = LocalSentimentModel.trainDefault();
        // A one-entry cache: cycling through 1,000 distinct texts never hits it.
        SentimentChain.Settings d = SentimentChain.Settings.defaults(Duration.ofSeconds(2));
        chain = SentimentChain.assemble(new SentimentChain.Settings(d.deadline(), d.reserve(), d.llmTimeout(),
                        d.fallbackTimeout(), d.minimumRetryCall(), 1, d.cacheTtl(), d.breaker(), d.semantic()),
                local, Optional.empty(), Optional.empty(),
                SentimentChain.Costing.fixed(PriceTable.defaults(), Clock.systemUTC()), Clock.systemUTC(),
                Ticker.system(), Sleeper.system(),
                new BoundaryMetrics());
        function = new SentimentFunction(JsonMapper.builder().build(), chain, 1000);
        repeatedRequest = MessageBuilder.withPayload(("{\"text\": \"" + REPEATED + "\"}").getBytes(StandardCharsets.UTF_8))
                .setHeader("contentType", "application/json").build();
        List<LabelledText> texts = SentimentCorpus.heldOut();
        fresh = texts.stream().map(LabelledText::text).distinct().toArray(String[]::new);
    }

    @TearDown
    public void tearDown() {
        chain.close();
    }

    @Benchmark
    public SentimentResult exactCacheHit() {
        return chain.classify(REPEATED);
    }

    @Benchmark
    public SentimentResult localModel() {
        String text = fresh[next];
        next = next + 1 == fresh.length ? 0 : next + 1;
        return chain.classify(text);
    }

    @Benchmark
    public Sentiment localModelAlone() {
        String text = fresh[next];
        next = next + 1 == fresh.length ? 0 : next + 1;
        return local.classify(text, noDeadline);
    }

    @Benchmark
    public Message<byte[]> functionCacheHit() {
        return function.apply(repeatedRequest);
    }
}
