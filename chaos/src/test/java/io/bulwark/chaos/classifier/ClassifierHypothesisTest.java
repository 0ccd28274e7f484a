package io.bulwark.chaos.classifier;

import io.bulwark.chaos.experiment.Check;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifierHypothesisTest {

    static final ClassifierScenario SLOW = ClassifierScenario.named("classifier-slow-inference").orElseThrow();
    static final ClassifierScenario BURST = ClassifierScenario.named("classifier-burst").orElseThrow();
    static final ClassifierScenario HEALTHY = ClassifierScenario.named("classifier-healthy").orElseThrow();

    static ClassifierReply answer(String version, String fallback) {
        return new ClassifierReply(200, null, "Gentoo", null, version, fallback, false, "Gentoo", 10, null);
    }

    static Map<String, Check.Verdict> verdicts(ClassifierScenario s, List<ClassifierReply> replies) {
        return ClassifierHypothesis.check(s, replies, "v2", Duration.ofSeconds(1)).stream()
                .collect(Collectors.toMap(Check::name, Check::verdict));
    }

    @Test
    void should_hold_when_every_answer_of_a_slow_version_came_from_the_fallback_and_says_so() {
        Map<String, Check.Verdict> v = verdicts(SLOW, List.of(answer("v1", "v2 did not answer; answered by v1"),
                answer("v1", "v2 did not answer; answered by v1")));

        assertThat(v).doesNotContainValue(Check.Verdict.FAIL).containsEntry("fault-handled", Check.Verdict.PASS);
    }

    @Test
    void should_fail_an_answer_from_another_version_without_a_fallback_label_and_a_wrong_label() {
        ClassifierReply wrong = new ClassifierReply(200, null, "Adelie", null, "v2", null, false, "Gentoo", 10, null);
        Map<String, Check.Verdict> v = verdicts(SLOW, List.of(answer("v1", null), wrong));

        assertThat(v).containsEntry("degraded-labelled", Check.Verdict.FAIL)
                .containsEntry("no-wrong-answer", Check.Verdict.FAIL).containsEntry("fault-handled", Check.Verdict.FAIL);
    }

    @Test
    void should_accept_server_busy_in_a_burst_but_not_another_5xx_nor_a_slow_p95() {
        ClassifierReply busy = new ClassifierReply(503, "server_busy", null, null, null, null, false, "Gentoo", 300,
                null);
        ClassifierReply broken = new ClassifierReply(500, "internal", null, null, null, null, false, "Gentoo", 5000,
                null);

        assertThat(verdicts(BURST, List.of(answer("v2", null), busy))).doesNotContainValue(Check.Verdict.FAIL);
        Map<String, Check.Verdict> v = verdicts(BURST, List.of(answer("v2", null), broken, broken));
        assertThat(v).containsEntry("no-other-5xx", Check.Verdict.FAIL)
                .containsEntry("p95-within-deadline", Check.Verdict.FAIL).containsEntry("well-formed",
                        Check.Verdict.FAIL);
    }

    @Test
    void should_fail_a_healthy_run_that_fell_back() {
        assertThat(verdicts(HEALTHY, List.of(answer("v2", null), answer("v1", "v2 failed; answered by v1"))))
                .containsEntry("healthy-model-serves", Check.Verdict.FAIL);
    }
}
