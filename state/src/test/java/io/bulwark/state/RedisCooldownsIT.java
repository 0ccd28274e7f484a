package io.bulwark.state;

import io.bulwark.resilience.Cooldowns;
import io.bulwark.resilience.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances' cooldowns of (provider, model) choices through one real Redis. */
class RedisCooldownsIT {

    private static final String CHOICE = "openai:gpt-4o-mini";

    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<SharedState> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(SharedState::close);
        redis.close();
    }

    private Cooldowns instance() {
        SharedState s = SharedState.connect(StateConfig.of(redis.url()).withKeyPrefix("fleet:"));
        open.add(s);
        Await.until(Duration.ofSeconds(20), "connected to Redis", () -> s.health().available());
        return s.cooldowns(Ticker.system(), Clock.systemUTC());
    }

    @Test
    void should_cool_a_choice_on_the_other_instance_within_a_second_for_what_is_left_of_it() {
        Cooldowns a = instance();
        Cooldowns b = instance();
        // a subscription is live once Redis confirmed it: news sent before that would be missed
        Await.until(Duration.ofSeconds(10), "B hears A", () -> {
            a.coolDown("probe", Duration.ofSeconds(60));
            return !b.remaining("probe").isZero();
        });

        a.coolDown(CHOICE, Duration.ofSeconds(30));

        Await.until(Duration.ofSeconds(1), "B's copy of the cooldown", () -> !b.remaining(CHOICE).isZero());
        assertThat(b.remaining(CHOICE)).isGreaterThan(Duration.ofSeconds(25))
                .isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(b.remaining("anthropic:claude-3-5-haiku-latest")).isZero();
    }
}
