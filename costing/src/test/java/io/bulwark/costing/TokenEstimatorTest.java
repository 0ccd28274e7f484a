package io.bulwark.costing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenEstimatorTest {

    @Test
    void should_count_with_the_tokenizer_of_the_models_family() {
        assertThat(TokenEstimator.forModel("gpt-4o-mini").encodingName()).isEqualTo("o200k_base");
        assertThat(TokenEstimator.forModel("gpt-4").encodingName()).isEqualTo("cl100k_base");
        // "hello world" is two tokens in both encodings; an empty text none
        assertThat(TokenEstimator.forModel("gpt-4").count("hello world")).isEqualTo(2);
        assertThat(TokenEstimator.forModel("gpt-4o").count("")).isZero();
    }

    @Test
    void should_add_the_chat_format_overhead_per_message_and_for_the_reply() {
        TokenEstimator t = TokenEstimator.forModel("gpt-4");
        // 3 for the reply + (3 + 2) per message
        assertThat(t.chatInput("hello world", "hello world")).isEqualTo(3 + 5 + 5);
    }
}
