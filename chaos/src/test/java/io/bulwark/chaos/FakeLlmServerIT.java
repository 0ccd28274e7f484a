package io.bulwark.chaos;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Route;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.Tier;
import io.bulwark.resilience.TimeLimit;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The fake OpenAI-compatible server against the real langchain4j client: every fault of a plan reaches
 * the boundary as the same typed failure over HTTP as through the in-process decorator, and ordinary
 * answers follow the output contract with the true label.
 */
class FakeLlmServerIT {

    private static final Duration LIMIT = Duration.ofMillis(1000);
    private static final LabelSource TRUTH = LabelSource.of(Map.of("I love it", SentimentLabel.POSITIVE),
            LabelSource.constant(SentimentLabel.NEGATIVE));
    private static FakeLlmServer server;
    private static ExecutorService executor;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(0, new FaultInjector(FaultPlan.none(), 1), TRUTH, Clock.systemUTC());
        executor = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.shutdownNow();
    }

    private static FaultPlan only(Fault fault) {
        return FaultPlan.builder().during(Schedule.always()).inject(1.0, fault).build();
    }

    /** The real client, bounded by the boundary's own time limit, as the chain calls it. */
    private static Sentiment overHttp(String text) {
        OpenAiSentimentProvider real = OpenAiSentimentProvider.create(server.baseUrl(), "sk-test", "gpt-4o-mini",
                Duration.ofSeconds(10), 20, Clock.systemUTC());
        Route<String, Sentiment> route = TimeLimit.of(LIMIT, Duration.ZERO, executor)
                .decorate(Route.of(Tier.LLM_CHEAP, real.model(), real::classify));
        return route.call(text, Deadline.after(Duration.ofSeconds(5), Ticker.system()));
    }

    private static Sentiment inProcess(FaultPlan plan, String text) {
        SimulatedTime time = new SimulatedTime();
        return new ChaosProvider(TRUTH.asProvider("gpt-4o-mini"), new FaultInjector(plan, 1), time, time.clock())
                .classify(text, Deadline.after(LIMIT, time));
    }

    @ParameterizedTest
    @MethodSource("io.bulwark.chaos.ChaosProviderTest#faults")
    void should_reach_the_boundary_as_the_same_failure_over_http_as_in_process(Fault fault, FailureType expected) {
        server.use(new FaultInjector(only(fault), 1), TRUTH);

        BoundaryFailure http = catchThrowableOfType(BoundaryFailure.class, () -> overHttp("I love it"));
        BoundaryFailure local = catchThrowableOfType(BoundaryFailure.class, () -> inProcess(only(fault), "I love it"));

        assertThat(http).as("over HTTP").isNotNull();
        assertThat(http.type()).isEqualTo(expected).isEqualTo(local.type());
    }

    @Test
    void should_answer_the_true_label_by_the_output_contract_with_the_same_usage_as_in_process() {
        server.use(new FaultInjector(FaultPlan.none(), 1), TRUTH);

        Sentiment positive = overHttp("I love it");
        Sentiment other = overHttp("The battery died.");

        assertThat(positive.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(positive.confidence()).isEqualTo(LabelSource.CONFIDENCE);
        assertThat(positive.usage()).isEqualTo(inProcess(FaultPlan.none(), "I love it").usage());
        assertThat(other.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(server.chatCalls()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void should_log_what_it_did_to_each_text_in_call_order_once_asked_to() {
        server.use(new FaultInjector(only(Fault.rateLimit(Fault.RetryAfter.NONE, Duration.ZERO)), 1), TRUTH);
        assertThatThrownBy(() -> server.callsFor("logged text")).isInstanceOf(IllegalStateException.class);
        server.keepCallLog();
        catchThrowableOfType(RateLimited.class, () -> overHttp("logged text"));
        server.use(new FaultInjector(FaultPlan.none(), 1), TRUTH);
        overHttp("logged text");

        assertThat(server.callsFor("logged text")).containsExactly("rate_limit", "none");
        assertThat(server.callsFor("never asked")).isEmpty();
    }

    @Test
    void should_answer_a_slow_drip_within_the_limit_and_a_delay_after_it() {
        server.use(new FaultInjector(only(Fault.slowDrip(4, Latency.fixed(Duration.ofMillis(400)))), 1), TRUTH);
        long start = System.nanoTime();

        Sentiment s = overHttp("I love it");

        assertThat(s.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void should_say_how_long_to_wait_in_each_header_style() {
        server.use(new FaultInjector(only(Fault.rateLimit(Fault.RetryAfter.MILLIS, Duration.ofMillis(300))), 1), TRUTH);
        RateLimited ms = catchThrowableOfType(RateLimited.class, () -> overHttp("x"));
        server.use(new FaultInjector(only(Fault.rateLimit(Fault.RetryAfter.SECONDS, Duration.ofMillis(1500))), 1), TRUTH);
        RateLimited seconds = catchThrowableOfType(RateLimited.class, () -> overHttp("x"));
        server.use(new FaultInjector(only(Fault.rateLimit(Fault.RetryAfter.HTTP_DATE, Duration.ofSeconds(3))), 1), TRUTH);
        RateLimited date = catchThrowableOfType(RateLimited.class, () -> overHttp("x"));
        server.use(new FaultInjector(only(Fault.rateLimit(Fault.RetryAfter.NONE, Duration.ofSeconds(3))), 1), TRUTH);
        RateLimited none = catchThrowableOfType(RateLimited.class, () -> overHttp("x"));

        assertThat(ms.retryAfter()).contains(Duration.ofMillis(300));
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(date.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        assertThat(none.retryAfter()).isEmpty();
    }

    @Test
    void should_serve_deterministic_embeddings_and_inject_faults_into_them() {
        server.use(new FaultInjector(FaultPlan.none(), 1), TRUTH);
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
                .modelName("text-embedding-3-small").maxRetries(0).build();

        Embedding a = model.embed("The battery died.").content();
        Embedding b = model.embed("the battery died.").content();
        Embedding c = model.embed("Works great!").content();

        assertThat(a.dimension()).isEqualTo(Completions.EMBEDDING_DIMENSIONS);
        assertThat(a.vector()).isEqualTo(b.vector()).isNotEqualTo(c.vector());
        long before = server.embeddingCalls();
        server.use(new FaultInjector(only(Fault.serverError(503)), 1), TRUTH);
        assertThatThrownBy(() -> model.embed("Works great!")).isInstanceOf(RuntimeException.class);
        assertThat(server.embeddingCalls()).isEqualTo(before + 1);
    }
}
