package io.bulwark.chaos.experiment;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.bulwark.chaos.experiment.Runs.body;
import static io.bulwark.chaos.experiment.Runs.ok;
import static org.assertj.core.api.Assertions.assertThat;

class ResponseCheckTest {

    private static Observation check(Reply reply) {
        return Runs.observe(0, reply);
    }

    @Test
    void should_accept_honest_answers_from_every_tier() {
        assertThat(check(ok(body("positive", "llm-cheap", null, false), 5)).labelProblem()).isNull();
        assertThat(check(ok(body("positive", "llm-cheap", "rate_limit", false), 5)).labelProblem()).isNull();
        assertThat(check(ok(body("negative", "local", "local_model", true), 5)).labelProblem()).isNull();
        assertThat(check(ok(body("uncertain", "template", "template", true), 5)).labelProblem()).isNull();
        Observation cached = check(ok(body("positive", "cache", null, false), 5));
        assertThat(cached.wellFormed()).isTrue();
        assertThat(cached.labelProblem()).isNull();
    }

    @Test
    void should_flag_a_fallback_answer_that_does_not_say_it_is_degraded() {
        assertThat(check(ok(body("negative", "local", "local_model", false), 5)).labelProblem()).contains("not degraded");
        assertThat(check(ok(body("uncertain", "template", "template", false), 5)).labelProblem()).isNotNull();
        assertThat(check(ok(body("positive", "llm-cheap", null, true), 5)).labelProblem()).contains("degraded");
        assertThat(check(ok(body("uncertain", "llm-cheap", null, false), 5)).labelProblem()).contains("uncertain");
        assertThat(check(ok(body("positive", "local", "mystery", true), 5)).labelProblem()).contains("unknown fallback");
    }

    @Test
    void should_flag_responses_that_break_the_contract() {
        assertThat(check(ok("{\"sentiment\": \"positive\"}", 5)).shapeProblem()).startsWith("fields are");
        assertThat(check(ok(body("happy", "llm-cheap", null, false), 5)).shapeProblem()).contains("sentiment");
        assertThat(check(ok(body("positive", "gpu", null, false), 5)).shapeProblem()).contains("tier");
        assertThat(check(ok(body("positive", "llm-cheap", null, false).replace("0.9", "1.5"), 5)).shapeProblem())
                .contains("confidence");
        assertThat(check(ok("<html>oops</html>", 5)).shapeProblem()).isEqualTo("body is not JSON");
        assertThat(check(new Reply(503, new byte[0], Duration.ZERO, null)).shapeProblem()).isEqualTo("status 503");
        Observation escaped = check(Reply.escaped(new IllegalStateException("boom"), Duration.ZERO));
        assertThat(escaped.wellFormed()).isFalse();
        assertThat(escaped.exception()).isEqualTo(IllegalStateException.class.getName());
    }
}
