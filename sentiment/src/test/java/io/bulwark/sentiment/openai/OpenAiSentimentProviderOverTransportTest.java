package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpRequest;
import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.BilledTokens;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.TokenUsage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The provider over a {@link Transport} in process: the same client, status handling and failure mapping as
 * over the network, without one.
 */
class OpenAiSentimentProviderOverTransportTest {

    private final SimulatedTime time = new SimulatedTime();
    private final List<HttpRequest> sent = new ArrayList<>();

    private Sentiment classify(Transport.Answer answer) {
        return OpenAiSentimentProvider.over(request -> {
            sent.add(request);
            return answer;
        }, "gpt-4o-mini", time.clock()).classify("I love it", Deadline.after(Duration.ofSeconds(1), time));
    }

    @Test
    void should_send_the_chat_request_to_the_transport_and_answer_by_the_output_contract() {
        Sentiment s = classify(new Transport.Answer(200, Map.of("Content-Type", List.of("application/json")),
                OpenAiSentimentProviderIT.completion("{\"sentiment\": \"positive\", \"confidence\": 0.97}")));

        assertThat(s).isEqualTo(new Sentiment(SentimentLabel.POSITIVE, 0.97, new TokenUsage(41, 9)));
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.url()).endsWith("/chat/completions");
            assertThat(r.body()).contains("I love it").contains("gpt-4o-mini");
        });
    }

    @Test
    void should_carry_the_usage_of_a_truncated_answer_so_that_it_is_charged() {
        String body = """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"sentiment\\": \\"posi"},
                             "finish_reason":"length"}],
                 "usage":{"prompt_tokens":41,"completion_tokens":20,"total_tokens":61}}""";

        MalformedResponse m = catchThrowableOfType(MalformedResponse.class, () -> classify(new Transport.Answer(200,
                Map.of("Content-Type", List.of("application/json")), body)));

        assertThat(m.billed()).contains(new BilledTokens(41, 0, 20));
    }

    @Test
    void should_report_the_prompt_cached_part_of_the_input_when_the_provider_does() {
        String body = """
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant",
                             "content":"{\\"sentiment\\": \\"positive\\", \\"confidence\\": 0.9}"},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":9,"total_tokens":1209,
                          "prompt_tokens_details":{"cached_tokens":1024}}}""";

        Sentiment s = classify(new Transport.Answer(200, Map.of("Content-Type", List.of("application/json")), body));

        assertThat(s.usage()).isEqualTo(new TokenUsage(1200, 9, 1024));
    }

    @Test
    void should_keep_the_headers_of_a_refusal_for_the_failure_mapping() {
        RateLimited r = catchThrowableOfType(RateLimited.class, () -> classify(new Transport.Answer(429,
                Map.of("retry-after", List.of("2")), "{\"error\":{\"message\":\"Rate limit reached\"}}")));

        assertThat(r.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(r).as("a 429 bills nothing").isNotInstanceOf(MalformedResponse.class);
    }

    @Test
    void should_map_a_connection_the_transport_saw_break_to_unavailable() {
        BoundaryFailure f = catchThrowableOfType(BoundaryFailure.class, () -> OpenAiSentimentProvider.over(request -> {
            throw new IOException("Connection reset");
        }, "gpt-4o-mini", time.clock()).classify("I love it", Deadline.after(Duration.ofSeconds(1), time)));

        assertThat(f).isInstanceOf(Unavailable.class);
    }
}
