package io.bulwark.resilience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBudgetTest {

    @Test
    void should_stop_retries_after_half_the_tokens_are_spent_and_allow_them_again_as_answers_come() {
        RetryBudget b = RetryBudget.of(10, 3);
        for (int i = 0; i < 4; i++) {
            b.onFailure();
        }
        assertThat(b.allowsRetry()).as("6 of 10 left").isTrue();
        b.onFailure();
        assertThat(b.allowsRetry()).as("5 of 10 left: not more than half").isFalse();

        b.onAnswer();
        assertThat(b.allowsRetry()).isTrue();
        assertThat(b.tokens()).isEqualTo(8);
    }

    @Test
    void should_keep_retrying_a_provider_that_answers_one_call_in_three_and_not_one_that_answers_one_in_six() {
        RetryBudget alive = RetryBudget.of(10, 3);
        RetryBudget dying = RetryBudget.of(10, 3);
        for (int i = 0; i < 600; i++) {
            if (i % 3 == 0) {
                alive.onAnswer();
            } else {
                alive.onFailure();
            }
            if (i % 6 == 0) {
                dying.onAnswer();
            } else {
                dying.onFailure();
            }
        }
        assertThat(alive.allowsRetry()).isTrue();
        assertThat(dying.allowsRetry()).isFalse();
        assertThat(alive.tokens()).isLessThanOrEqualTo(10);
        assertThat(dying.tokens()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void should_refuse_a_budget_without_tokens_or_refill() {
        assertThatThrownBy(() -> RetryBudget.of(0.5, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryBudget.of(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SameChoiceRetry(true, 0, 10, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
