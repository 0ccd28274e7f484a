package io.bulwark.tools.simulate;

import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.sentiment.simulate.StrategyResult;
import io.bulwark.resilience.Tier;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A small simulation through the real chain: reproducible from its seed, and consistent with the calculator.
 */
class CostSimulationTest {

    static final String SCENARIO = """
            name: small
            seed: %d
            sample: 300
            traffic: {requests_per_day: 100000, shape: diurnal, peak_to_mean: 1.5, start_hour: 14}
            tokens: {input: {mean: 150}, output: {mean: 200}}
            workload: {repeat_rate: 0.3, paraphrase_rate: 0.1}
            reference: gpt-4
            error_correlation: 0.8
            models:
              gpt-4: {accuracy: 0.97, latency_ms: {p50: 500, p95: 1200}, output_tokens_per_second: 35,
                      failures: {rate_limited: %s, retry_after_ms: 300}}
              gpt-3.5-turbo: {accuracy: 0.94, latency_ms: {p50: 300, p95: 800}, output_tokens_per_second: 90,
                              failures: {unavailable: 0.01, malformed: 0.01}}
            chain: {deadline_ms: 15000, llm_timeout_ms: 12000, fallback_timeout_ms: 6000}
            budget: {daily_usd: 60}
            strategies:
              - {name: baseline, strong: gpt-4}
              - {name: semantic, cheap: gpt-3.5-turbo, exact_cache: true, semantic_cache: true}
              - {name: all, cheap: gpt-3.5-turbo, strong: gpt-4, exact_cache: true, router: true, short_output: true,
                 budget: true, deadline_ms: 2000, llm_timeout_ms: 1200, fallback_timeout_ms: 500}
            """;

    private static SimulationReport run(long seed, double rateLimited) throws Exception {
        return SimulateCommand.simulate(Scenario.parse(SCENARIO.formatted(seed, rateLimited), Path.of(".")),
                Simulator.Progress.NONE);
    }

    @Test
    void should_give_the_same_report_for_the_same_seed_and_another_for_another_seed() throws Exception {
        SimulationReport first = run(11, 0.01);
        SimulationReport second = run(11, 0.01);
        SimulationReport other = run(12, 0.01);

        assertThat(second.results()).isEqualTo(first.results());
        assertThat(second.workloadKinds()).isEqualTo(first.workloadKinds());
        assertThat(other.results().get(2).costUsd()).isNotEqualTo(first.results().get(2).costUsd());
    }

    @Test
    void should_bill_a_faultless_all_gpt4_baseline_exactly_as_the_calculator() throws Exception {
        SimulationReport r = run(5, 0.0);

        StrategyResult baseline = r.results().get(0);
        assertThat(r.baseline().totalUsd()).isCloseTo(49_500, within(1e-6));
        assertThat(baseline.share(Tier.LLM_STRONG)).isEqualTo(1.0);
        assertThat(baseline.tokenMonthlyUsd()).isCloseTo(49_500, within(1e-6));
        assertThat(baseline.platformMonthlyUsd()).as("6-7 s of waiting per request at 1 GB").isBetween(250.0, 400.0);
        assertThat(baseline.agreement()).isEqualTo(1.0);
        assertThat(baseline.accuracy()).as("gpt-4 at an assumed 0.97").isEqualTo(baseline.referenceAccuracy())
                .isBetween(0.93, 1.0);
    }

    @Test
    void should_bill_each_request_its_time_in_the_function_at_the_configured_memory_beside_the_tokens() throws Exception {
        // gpt-4 answers in 500.0002 ms (p50 = p95; 200 output tokens at the default 10^9 tokens/s), no overhead,
        // billed as 501 ms: on Lambda x86 at 1,024 MB each request is 1 GB × 0.501 s × $0.0000166667 + $0.20 / 1M
        // + the HTTP API's $1.00 / 1M = $0.0000095500167; a 30-day month of 100,000 a day: 3,000,000 × that =
        // $28.6500501. At 512 MB on arm64: 0.5 GB × 0.501 s × $0.0000133334 + $0.0000012 = $0.0000045400167
        // → $13.6200501.
        String yaml = """
                name: platform
                seed: 1
                sample: 50
                traffic: {requests_per_day: 100000}
                tokens: {input: {mean: 150}, output: {mean: 200}}
                reference: gpt-4
                models:
                  gpt-4: {accuracy: 1, latency_ms: {p50: 500, p95: 500}}
                chain: {deadline_ms: 15000, llm_timeout_ms: 12000, fallback_timeout_ms: 6000}
                platform: {function: %s, memory_mb: %d, gateway: aws-api-gateway-http, overhead_ms: 0}
                strategies:
                  - {name: baseline, strong: gpt-4}
                """;
        StrategyResult x86 = SimulateCommand.simulate(Scenario.parse(yaml.formatted("aws-lambda-x86", 1024),
                Path.of(".")), Simulator.Progress.NONE).results().get(0);
        StrategyResult arm = SimulateCommand.simulate(Scenario.parse(yaml.formatted("aws-lambda-arm64", 512),
                Path.of(".")), Simulator.Progress.NONE).results().get(0);

        assertThat(x86.platformMonthlyUsd()).isCloseTo(28.6500501, within(1e-6));
        assertThat(x86.tokenMonthlyUsd()).isCloseTo(49_500, within(1e-6));
        assertThat(x86.monthlyUsd()).isCloseTo(49_528.6500501, within(1e-6));
        assertThat(x86.platformPer1000Usd()).isCloseTo(0.0095500167, within(1e-9));
        assertThat(arm.platformMonthlyUsd()).isCloseTo(13.6200501, within(1e-6));
        assertThat(x86.platformOptions()).anySatisfy(b -> {
            assertThat(b.label()).isEqualTo("aws-lambda-arm64, 512 MB + aws-api-gateway-http");
            assertThat(b.monthlyUsd()).isCloseTo(13.6200501, within(1e-6));
        });
    }

    @Test
    void should_price_a_long_shared_prompt_at_the_cached_input_rate_once_the_providers_cache_is_warm() throws Exception {
        String yaml = """
                name: prompt-cache
                seed: 2
                sample: 40
                traffic: {requests_per_day: 100000}
                tokens: {input: {mean: 1200}, output: {mean: 20}, shared_prefix: %d}
                reference: gpt-4o-mini
                models:
                  gpt-4o-mini: {accuracy: 1, latency_ms: {p50: 300, p95: 300}}
                chain: {deadline_ms: 15000, llm_timeout_ms: 12000, fallback_timeout_ms: 6000}
                strategies:
                  - {name: plain, cheap: gpt-4o-mini, short_output: true}
                  - {name: cached, cheap: gpt-4o-mini, short_output: true, prompt_cache: true}
                """;
        List<StrategyResult> long_ = SimulateCommand.simulate(Scenario.parse(yaml.formatted(1100), Path.of(".")),
                Simulator.Progress.NONE).results();
        List<StrategyResult> short_ = SimulateCommand.simulate(Scenario.parse(yaml.formatted(600), Path.of(".")),
                Simulator.Progress.NONE).results();

        // 40 calls, the first a miss: 39 × 1,100 tokens at $0.075 instead of $0.15 per 1M
        StrategyResult plain = long_.get(0);
        StrategyResult cached = long_.get(1);
        assertThat(plain.share(Tier.LLM_CHEAP)).isEqualTo(1.0);
        assertThat(cached.cachedInputTokens()).isEqualTo(39 * 1100);
        assertThat(plain.costUsd() - cached.costUsd()).isCloseTo(39 * 1100 * (0.15 - 0.075) / 1e6, within(1e-12));
        // a 600-token prefix is under the providers' 1,024-token minimum: nothing cached, nothing saved
        assertThat(short_.get(1).cachedInputTokens()).isZero();
        assertThat(short_.get(1).costUsd()).isEqualTo(short_.get(0).costUsd());
    }

    @Test
    void should_halve_the_tokens_of_batched_calls_and_take_them_out_of_the_functions_time() throws Exception {
        String yaml = """
                name: batch
                seed: 6
                sample: 60
                traffic: {requests_per_day: 100000}
                tokens: {input: {mean: 150}, output: {mean: 200}}
                reference: gpt-3.5-turbo
                models:
                  gpt-3.5-turbo: {accuracy: 1, latency_ms: {p50: 300, p95: 300}}
                chain: {deadline_ms: 15000, llm_timeout_ms: 12000, fallback_timeout_ms: 6000}
                batch_turnaround_hours: 24
                strategies:
                  - {name: interactive, cheap: gpt-3.5-turbo, short_output: true}
                  - {name: all batched, cheap: gpt-3.5-turbo, short_output: true, batch_share: 1}
                  - {name: some batched, cheap: gpt-3.5-turbo, short_output: true, batch_share: 0.4}
                """;
        SimulationReport r = SimulateCommand.simulate(Scenario.parse(yaml, Path.of(".")), Simulator.Progress.NONE);
        StrategyResult interactive = r.results().get(0);
        StrategyResult all = r.results().get(1);
        StrategyResult some = r.results().get(2);

        // OpenAI's Batch API: half price (batch_discount 0.5 in the price file)
        assertThat(all.batchedCalls()).isEqualTo(60);
        assertThat(all.costUsd()).isCloseTo(interactive.costUsd() / 2, within(1e-15));
        // the function only enqueues: 2 ms of overhead at 1 GB, + $0.20 and $1.00 per 1M requests, for 3,000,000
        assertThat(all.platformMonthlyUsd()).isCloseTo(3_000_000 * (0.002 * 0.0000166667 + 0.0000012), within(1e-6));
        // interactive: ~303 ms in the function (300 ms wait + 2 ms overhead, rounded up) instead of 2 ms
        assertThat(interactive.platformMonthlyUsd()).isCloseTo(3_000_000 * (0.303 * 0.0000166667 + 0.0000012), within(1e-6));
        // a batched answer is not in the interactive latency: it comes within the batch's 24 h
        assertThat(some.batchedCalls()).isBetween(10L, 40L);
        assertThat(some.costUsd()).isCloseTo(interactive.costUsd() * (1 - 0.5 * some.batchedCalls() / 60.0),
                within(1e-12));
        assertThat(MarkdownReport.render(r)).contains("## Batch processing", "within 24 h");
    }

    @Test
    void should_run_the_real_semantic_cache_and_cut_cost_with_all_the_rest() throws Exception {
        SimulationReport r = run(5, 0.01);

        StrategyResult semantic = r.results().get(1);
        assertThat(semantic.semanticHits()).as("~10% of 300 paraphrase, some refused by the guard").isPositive();
        assertThat(semantic.chain()).contains("SemanticCache(");
        StrategyResult all = r.results().get(2);
        assertThat(all.monthlyUsd()).isLessThan(2_000);
        assertThat(all.exactHits()).isGreaterThan(60);                 // ~30% of 300 repeat
        assertThat(all.share(Tier.LOCAL)).isGreaterThan(0.0);
        assertThat(all.routerDecisions()).isNotEmpty();
        assertThat(all.p95Ms()).isLessThan(2_000);
        // the sensitivity table's middle column re-scores the run under its own assumptions: the run's accuracy,
        // the answers after the cheap model's 5xx and malformed answers included (a malformed answer of the only
        // cheap model is asked again of it since issue 20's provider policy, no longer answered locally)
        assertThat(r.results()).allSatisfy(x -> assertThat(x.sensitivity().get(3)).isEqualTo(x.accuracy()));
        assertThat(semantic.fallbacks()).containsKey("reask");
    }
}
