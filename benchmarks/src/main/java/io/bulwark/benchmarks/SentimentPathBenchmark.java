package io.bulwark.benchmarks;

import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.local.LabelledText;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.sentiment.Sentiment;
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
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What does one {@code /sentiment} request cost inside the process, with no LLM configured?
 * {@code exactCacheHit}: a repeated text answered by the chain from the exact cache;
 * {@code localModel}: a new text answered by the local model through the boundary (cache miss);
 * {@code localModelAlone}: the local model without the chain, for comparison;
 * {@code jsonCacheHit}: what the function does on a cache hit, JSON bytes in and out: the body parsed, the text
 *     answered from the exact cache, the answer written (the HTTP edge's routing and validation are not in it).
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
    private final JsonMapper json = JsonMapper.builder().build();
    private byte[] repeatedRequest;
    private String[] fresh;
    private int next;
    private final Deadline noDeadline = Deadline.after(Duration.ofDays(1), Ticker.system());

    @Setup
    public void setUp() {
        local = LocalSentimentModel.trainDefault();
        // A one-entry cache: cycling through 1,000 distinct texts never hits it.
        SentimentChain.Settings d = SentimentChain.Settings.defaults(Duration.ofSeconds(2));
        chain = SentimentChain.builder()
                .settings(new SentimentChain.Settings(d.deadline(), d.reserve(), d.llmTimeout(), d.fallbackTimeout(),
                        d.minimumRetryCall(), 1, d.cacheTtl(), d.breaker(), d.semantic()))
                .localModel(local)
                .listener(new BoundaryMetrics())
                .build();
        repeatedRequest = ("{\"text\": \"" + REPEATED + "\"}").getBytes(StandardCharsets.UTF_8);
        List<LabelledText> texts = SentimentCorpus.heldOut();
        fresh = texts.stream().map(LabelledText::text).distinct().toArray(String[]::new);
    }

    @TearDown
    public void tearDown() {
        chain.close();
    }

    @Benchmark
    public SentimentAnswer exactCacheHit() {
        return chain.classify(REPEATED);
    }

    @Benchmark
    public SentimentAnswer localModel() {
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
    public byte[] jsonCacheHit() {
        String text = json.readTree(repeatedRequest).get("text").stringValue();
        return json.writeValueAsBytes(chain.classify(text));
    }
}
