package io.bulwark.functions.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code slo500} latency profile binds to the properties the app reads, and its values keep the promises its
 * comments and the README make: every answer within the deadline, under the 500 ms SLO; a healthy 200–400 ms LLM
 * answer within the LLM time limit; no retry with less than a whole healthy call left.
 */
class Slo500ProfileTest {

    private static BulwarkProperties bind() throws IOException {
        Properties file = new Properties();
        try (InputStream in = Slo500ProfileTest.class.getResourceAsStream("/application-slo500.properties")) {
            assertThat(in).as("application-slo500.properties on the class path").isNotNull();
            file.load(in);
        }
        Map<String, String> values = new HashMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
        assertThat(values).allSatisfy((k, v) -> assertThat(k).startsWith("bulwark."));
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("bulwark", BulwarkProperties.class);
    }

    @Test
    void should_bound_every_answer_and_every_llm_call_under_the_slo() throws IOException {
        BulwarkProperties p = bind();
        Duration deadline = p.sentiment().deadline();
        Duration reserve = p.sentiment().reserve();

        assertThat(deadline).isLessThan(Duration.ofMillis(500));
        assertThat(reserve).isLessThan(deadline);
        // the LLM call gets what the deadline leaves after the reserve, and no more
        assertThat(p.llm().timeout()).isLessThanOrEqualTo(deadline.minus(reserve));
        // a healthy 200-400 ms answer (the load run's fake LLM) fits the limit
        assertThat(p.llm().timeout()).isGreaterThan(Duration.ofMillis(400));
    }

    @Test
    void should_retry_only_with_a_whole_healthy_call_left_and_embed_one_text_at_a_time() throws IOException {
        BulwarkProperties p = bind();

        assertThat(p.sentiment().minimumRetryCall()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(p.sentiment().minimumRetryCall().plus(p.sentiment().reserve()))
                .isLessThan(p.sentiment().deadline());
        assertThat(p.cache().semantic().embedConcurrency()).isEqualTo(1);
    }
}
