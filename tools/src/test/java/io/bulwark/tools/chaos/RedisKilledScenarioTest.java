package io.bulwark.tools.chaos;

import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.sentiment.local.LocalSentimentModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code redis-killed} scenario end to end, shortened: a real {@code redis-server} killed (SIGKILL) and restarted
 * under two instances' traffic, in real time. Fails (never skips) without {@code redis-server}: {@code .ci/run}
 * installs it.
 */
class RedisKilledScenarioTest {

    @Test
    void should_answer_every_request_while_redis_is_killed_and_share_again_after_its_restart() {
        Summary s = ChaosExperiments.redisKilled(Scenarios.REDIS_KILLED.withSpan(Duration.ofSeconds(9)), 90, 42,
                LocalSentimentModel.trainDefault(), "test", i -> { });

        assertThat(s.checks()).extracting(Check::name).contains("answered-while-down", "shared-state-back",
                "shared-again");
        assertThat(s.checks()).as(s.checks().toString()).allSatisfy(
                c -> assertThat(c.verdict()).as(c.toString()).isNotEqualTo(Check.Verdict.FAIL));
        assertThat(s.leaked()).isZero();
        assertThat(s.requests()).isEqualTo(90);
    }
}
