package io.bulwark.sentiment.openai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.Deadline;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentOutputParser;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Judges sentiment with a model behind any OpenAI-compatible chat completions endpoint (OpenAI,
 * Azure OpenAI, Ollama, vLLM), through langchain4j's client. It makes exactly one HTTP call per
 * judgement (retries are the boundary's business), asks for the output contract
 * {@code {"sentiment": ..., "confidence": ...}}, and maps every failure through {@link OpenAiFailures}.
 */
public final class OpenAiSentimentProvider implements SentimentProvider {

    /** The instruction sent as the system message. */
    public static final String SYSTEM_PROMPT = """
            You classify the sentiment of the user's text. Reply with exactly one JSON object and \
            nothing else: {"sentiment": "positive" | "negative" | "neutral", "confidence": <number from 0 to 1>}""";

    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_TOKENS = 20;
    /** The base URL of a provider over a {@link Transport}: never resolved ({@code .invalid} is reserved). */
    private static final String IN_PROCESS_URL = "http://in-process.invalid/v1";

    private final OpenAiChatModel chat;
    private final String model;
    private final Clock clock;
    private final Duration httpTimeout;
    private final int maxTokens;
    private final boolean honoursDeadline;

    private OpenAiSentimentProvider(OpenAiChatModel chat, String model, Clock clock, Duration httpTimeout,
                                    int maxTokens, boolean honoursDeadline) {
        this.honoursDeadline = honoursDeadline;
        this.chat = chat;
        this.model = model;
        this.clock = clock;
        this.httpTimeout = httpTimeout;
        this.maxTokens = maxTokens;
    }

    /**
     * Returns a provider of {@code model} at {@code baseUrl} (e.g. {@code https://api.openai.com/v1});
     * {@code apiKey} may be blank for endpoints that need none. {@code httpTimeout} is only a backstop:
     * the boundary's time limits cancel calls earlier.
     */
    public static OpenAiSentimentProvider create(String baseUrl, String apiKey, String model, Duration httpTimeout,
                                                 int maxTokens, Clock clock) {
        return create(baseUrl, apiKey, model, httpTimeout, maxTokens, clock, new HeaderKeepingHttpClient.Builder(),
                true);
    }

    /**
     * Returns a provider of {@code model} whose HTTP exchanges go to {@code transport} instead of the network,
     * with the default settings: everything above the socket is the production code. The chaos decorator
     * injects faults through it in process.
     */
    public static OpenAiSentimentProvider over(Transport transport, String model, Clock clock) {
        return create(IN_PROCESS_URL, "", model, DEFAULT_HTTP_TIMEOUT, DEFAULT_MAX_TOKENS, clock,
                new HeaderKeepingHttpClient.Builder(transport), false);
    }

    private static OpenAiSentimentProvider create(String baseUrl, String apiKey, String model, Duration httpTimeout,
                                                  int maxTokens, Clock clock, HeaderKeepingHttpClient.Builder http,
                                                  boolean honoursDeadline) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
        }
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl)
                .modelName(model)
                .temperature(0.0)
                .maxTokens(maxTokens)
                .timeout(Objects.requireNonNull(httpTimeout, "httpTimeout"))
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false);
        if (apiKey != null && !apiKey.isBlank()) {
            builder.apiKey(apiKey);
        }
        return new OpenAiSentimentProvider(builder.build(), model, Objects.requireNonNull(clock, "clock"),
                httpTimeout, maxTokens, honoursDeadline);
    }

    @Override
    public String model() {
        return model;
    }

    /**
     * True for a provider on the network ({@link #create}): its {@link SocketTransport} takes its connect and read
     * time-outs from the deadline {@link #classify} is given, and a read that times out is a {@code TimedOut}. False
     * over a {@link Transport} ({@link #over}), which may take any time.
     */
    @Override
    public boolean honoursDeadline() {
        return honoursDeadline;
    }

    @Override
    public int maxOutputTokens() {
        return maxTokens;
    }

    /**
     * Runs one classification through a twin of this provider (same client stack, same settings) against
     * a canned answer on a private loopback port, and returns how long it took. Never calls the provider.
     *
     * <p>Why: the first call in a fresh JVM pays for loading and compiling the client (about 1.3 s on 2
     * cores, measured), more than the LLM time limit, so without a warm-up the first request after every
     * start (every cold start on a serverless runtime) times out, retries, times out again, is answered
     * degraded, and counts twice against the circuit breaker. Call it once at start-up.
     */
    public Duration warmUp() {
        long start = System.nanoTime();
        try (WarmUp endpoint = WarmUp.start()) {
            create(endpoint.baseUrl(), "warm-up", model, httpTimeout, maxTokens, clock)
                    .classify("warm-up", io.bulwark.resilience.Deadline.after(httpTimeout,
                            io.bulwark.resilience.Ticker.system()));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public Sentiment classify(String text, Deadline deadline) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(text))
                .build();
        ChatResponse response;
        Deadline outer = SocketTransport.deadline();
        SocketTransport.deadline(deadline); // the socket's time-outs: no longer than the deadline leaves
        try {
            response = chat.chat(request);
        } catch (RuntimeException e) {
            throw OpenAiFailures.map(e, clock);
        } finally {
            SocketTransport.deadline(outer);
        }
        AiMessage message = response == null ? null : response.aiMessage();
        TokenUsage usage = usage(response);
        try {
            return SentimentOutputParser.parse(message == null ? null : message.text(), usage);
        } catch (MalformedResponse e) {
            // A malformed or truncated answer that came with a usage count is billed like a good one.
            throw new MalformedResponse(e.getMessage(), usage.billed());
        }
    }

    /** The usage the provider reported, with the prompt-cached part of the input where it reports one. */
    static TokenUsage usage(ChatResponse response) {
        if (response == null || response.tokenUsage() == null) {
            return TokenUsage.NONE;
        }
        Integer in = response.tokenUsage().inputTokenCount();
        Integer out = response.tokenUsage().outputTokenCount();
        int input = in == null ? 0 : in;
        int cached = 0;
        if (response.tokenUsage() instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null
                && openAi.inputTokensDetails().cachedTokens() != null) {
            cached = Math.min(input, Math.max(0, openAi.inputTokensDetails().cachedTokens()));
        }
        return new TokenUsage(input, out == null ? 0 : out, cached);
    }
}
