package io.bulwark.sentiment.anthropic;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentOutputParser;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.TokenUsage;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.sentiment.openai.ProviderHttp;
import io.bulwark.sentiment.openai.WarmUp;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Judges sentiment with a model behind Anthropic's Messages API ({@code POST {base-url}/messages}), through
 * langchain4j's Anthropic client. Like the OpenAI-compatible provider it makes exactly one HTTP call per judgement
 * (the client's own retries are off), asks for the same output contract with the same system prompt, and types
 * every failure through {@link ProviderHttp#failure} (Anthropic's 529 "overloaded" is a 5xx: unavailable; its 429
 * carries {@code retry-after} in seconds).
 */
public final class AnthropicSentimentProvider implements SentimentProvider {

    /** The canned Messages API answer of the warm-up's private endpoint. */
    private static final String WARM_UP_ANSWER = """
            {"id":"msg_warm_up","type":"message","role":"assistant","model":"warm-up",
             "content":[{"type":"text","text":"{\\"sentiment\\": \\"neutral\\", \\"confidence\\": 0.5}"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""";


    /** Anthropic's endpoint. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";

    private final AnthropicChatModel chat;
    private final String model;
    private final Clock clock;
    private final Duration httpTimeout;
    private final int maxTokens;

    private AnthropicSentimentProvider(AnthropicChatModel chat, String model, Clock clock, Duration httpTimeout,
                                       int maxTokens) {
        this.chat = chat;
        this.model = model;
        this.clock = clock;
        this.httpTimeout = httpTimeout;
        this.maxTokens = maxTokens;
    }

    /**
     * Returns a provider of {@code model} at {@code baseUrl} (blank: {@link #DEFAULT_BASE_URL}); {@code httpTimeout}
     * is a backstop behind the boundary's time limits.
     */
    public static AnthropicSentimentProvider create(String baseUrl, String apiKey, String model, Duration httpTimeout,
                                                    int maxTokens, Clock clock) {
        return create(baseUrl, apiKey, model, httpTimeout, maxTokens, clock, ProviderHttp.client());
    }

    private static AnthropicSentimentProvider create(String baseUrl, String apiKey, String model,
                                                     Duration httpTimeout, int maxTokens, Clock clock,
                                                     HttpClientBuilder http) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
        }
        String url = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
        AnthropicChatModel chat = AnthropicChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(url.endsWith("/") ? url : url + "/")
                // the client insists on a key; a local gateway may need none
                .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
                .modelName(model)
                .temperature(0.0)
                .maxTokens(maxTokens)
                .timeout(Objects.requireNonNull(httpTimeout, "httpTimeout"))
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
        return new AnthropicSentimentProvider(chat, model, Objects.requireNonNull(clock, "clock"), httpTimeout,
                maxTokens);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int maxOutputTokens() {
        return maxTokens;
    }

    @Override
    public Sentiment classify(String text, Deadline deadline) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(OpenAiSentimentProvider.SYSTEM_PROMPT), UserMessage.from(text))
                .build();
        ChatResponse response;
        try {
            response = chat.chat(request);
        } catch (RuntimeException e) {
            throw ProviderHttp.failure(e, clock);
        }
        AiMessage message = response == null ? null : response.aiMessage();
        TokenUsage usage = usage(response);
        try {
            return SentimentOutputParser.parse(message == null ? null : message.text(), usage);
        } catch (MalformedResponse e) {
            throw new MalformedResponse(e.getMessage(), usage.billed());
        }
    }

    /**
     * Runs one classification through a twin of this provider against a canned Messages API answer on a private
     * loopback port and returns how long it took; never calls Anthropic. Why: as for the OpenAI-compatible client,
     * a cold client's first call overruns the LLM time limit.
     */
    public Duration warmUp() {
        long start = System.nanoTime();
        try (WarmUp endpoint = WarmUp.start("/v1/messages", WARM_UP_ANSWER)) {
            create(endpoint.baseUrl(), "warm-up", model, httpTimeout, maxTokens, clock)
                    .classify("warm-up", Deadline.after(httpTimeout, Ticker.system()));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static TokenUsage usage(ChatResponse response) {
        if (response == null || response.tokenUsage() == null) {
            return TokenUsage.NONE;
        }
        Integer in = response.tokenUsage().inputTokenCount();
        Integer out = response.tokenUsage().outputTokenCount();
        return new TokenUsage(in == null ? 0 : in, out == null ? 0 : out);
    }
}
