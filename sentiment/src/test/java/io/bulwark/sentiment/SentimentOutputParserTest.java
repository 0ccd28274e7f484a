package io.bulwark.sentiment;

import io.bulwark.resilience.failure.MalformedResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SentimentOutputParserTest {

    @Test
    void should_read_the_contract_object() {
        Sentiment s = SentimentOutputParser.parse(" {\"sentiment\": \"Negative\", \"confidence\": 0.93}\n",
                new TokenUsage(40, 9));

        assertThat(s).isEqualTo(new Sentiment(SentimentLabel.NEGATIVE, 0.93, new TokenUsage(40, 9)));
    }

    @Test
    void should_ignore_extra_members() {
        assertThat(SentimentOutputParser.parse("{\"sentiment\":\"neutral\",\"confidence\":1,\"why\":\"x\"}",
                TokenUsage.NONE).label()).isEqualTo(SentimentLabel.NEUTRAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "The sentiment is positive.",
            "{\"sentiment\": \"positive\", \"confid",
            "{\"sentiment\": \"ecstatic\", \"confidence\": 0.9}",
            "{\"sentiment\": \"uncertain\", \"confidence\": 0.9}",
            "{\"sentiment\": \"positive\", \"confidence\": 7}",
            "{\"sentiment\": \"positive\", \"confidence\": -0.1}",
            "{\"sentiment\": \"positive\", \"confidence\": \"high\"}",
            "{\"sentiment\": 1, \"confidence\": 0.5}",
            "{\"confidence\": 0.5}",
            "[\"positive\", 0.9]",
            "{\"sentiment\": \"positive\", \"confidence\": 0.9} and some prose",
            "Here you go:\n```json\n{\"sentiment\": \"positive\", \"confidence\": 0.9}\n```",
            "```python\n{\"sentiment\": \"positive\", \"confidence\": 0.9}\n```",
            "```json\n{\"sentiment\": \"positive\", \"confidence\": 0.9}\n``` ```",
            "```json\n{\"sentiment\": \"positive\", \"confid\n```",
            "   ",
    })
    void should_reject_anything_but_the_contract(String content) {
        assertThatThrownBy(() -> SentimentOutputParser.parse(content, TokenUsage.NONE))
                .isInstanceOf(MalformedResponse.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "```json\n{\"sentiment\": \"positive\", \"confidence\": 0.9}\n```",
            "```\n{\"sentiment\": \"positive\", \"confidence\": 0.9}\n```\n",
            "  ```JSON\n  {\"sentiment\": \"Positive\", \"confidence\": 0.9}\n```",
    })
    void should_accept_the_contracts_object_inside_one_markdown_fence(String content) {
        Sentiment s = SentimentOutputParser.parse(content, TokenUsage.NONE);

        assertThat(s.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(s.confidence()).isEqualTo(0.9);
    }

    @Test
    void should_reject_missing_content() {
        assertThatThrownBy(() -> SentimentOutputParser.parse(null, TokenUsage.NONE))
                .isInstanceOf(MalformedResponse.class).hasMessageContaining("empty");
    }
}
