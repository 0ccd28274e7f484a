package io.bulwark.sentiment.simulate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StrategyChartsTest {

    private static final String SCENARIO = """
            name: labels
            traffic: {requests_per_day: 1000}
            tokens: {input: {mean: 150}, output: {mean: 200}}
            reference: gpt-4
            models:
              gpt-4: {latency_ms: {p50: 500, p95: 1200}}
              gpt-3.5-turbo: {latency_ms: {p50: 300, p95: 800}}
            budget: {daily_usd: 60}
            strategies:
              - {name: baseline (all gpt-4), strong: gpt-4}
              - {name: + semantic cache, cheap: gpt-3.5-turbo, exact_cache: true, semantic_cache: true}
              - {name: + router (short output), cheap: gpt-3.5-turbo, strong: gpt-4, router: true, short_output: true}
              - {name: local-heavy, cheap: gpt-3.5-turbo, router: true, local_confidence: 0.8, short_output: true,
                 exact_cache: true, budget: true}
            """;

    @Test
    void should_say_what_each_strategy_runs_so_that_a_name_like_plus_router_is_not_read_as_cumulative() {
        List<String> summaries = Scenario.parse(SCENARIO, Path.of(".")).strategies().stream()
                .map(StrategyCharts::summary).toList();

        assertThat(summaries).containsExactly(
                "every request to gpt-4 · no cache · free-form answers",
                "every request to gpt-3.5-turbo · exact + semantic cache · free-form answers",
                "router: local model if confident ≥ 0.95, gpt-4 if complexity ≥ 0.50, else gpt-3.5-turbo · no cache "
                        + "· short answers",
                "router: local model if confident ≥ 0.80, else gpt-3.5-turbo · exact cache · short answers · daily budget");
    }
}
