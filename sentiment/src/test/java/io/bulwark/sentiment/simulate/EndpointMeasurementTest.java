package io.bulwark.sentiment.simulate;

import io.bulwark.costing.PriceTable;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.TokenUsage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The month scaled from a measured sample, with its interval, computed by hand. */
class EndpointMeasurementTest {

    private static final Scenario SCENARIO = Scenario.parse("""
            name: m
            traffic: {requests_per_day: 1000}
            tokens: {input: {mean: 50}, output: {mean: 10}}
            reference: gpt-4o-mini
            models:
              gpt-4o-mini: {latency_ms: {p50: 100, p95: 100}}
            platform: {overhead_ms: 0}
            strategies:
              - {name: x, cheap: gpt-4o-mini}
            """, Path.of("."));

    private static EndpointMeasurement.Call call(double cost, SentimentLabel label, SentimentLabel answer) {
        return new EndpointMeasurement.Call("t", label, answer, new TokenUsage(10, 2), 100, cost,
                answer == null ? "malformed_response" : "answered");
    }

    @Test
    void should_scale_the_mean_cost_to_the_month_with_a_95_percent_interval_and_score_the_answered_calls() {
        List<EndpointMeasurement.Call> calls = List.of(
                call(1e-5, SentimentLabel.POSITIVE, SentimentLabel.POSITIVE),
                call(2e-5, SentimentLabel.NEGATIVE, SentimentLabel.NEGATIVE),
                call(3e-5, SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE),
                call(4e-5, SentimentLabel.POSITIVE, null));

        EndpointMeasurement.Result r = EndpointMeasurement.summarise(SCENARIO, "http://x/v1", "gpt-4o-mini", 4, calls,
                Map.of("answered", 3L, "malformed_response", 1L), PriceTable.defaults());

        // mean $0.000025, sd √(((1.5² + 0.5²) × 2) / 3) × 1e-5 = 1.290994e-5, half-width 1.959964 × 1.290994e-5 / 2
        // = 1.265148e-5; a 30-day month of 1,000 a day: 30,000 × ($0.000025 ± $0.00001265148) = $0.75 ± $0.379544
        assertThat(r.meanCostUsd()).isCloseTo(2.5e-5, within(1e-15));
        assertThat(r.monthlyUsd()).isCloseTo(0.75, within(1e-12));
        assertThat(r.monthlyLowUsd()).isCloseTo(0.75 - 0.379544, within(1e-5));
        assertThat(r.monthlyHighUsd()).isCloseTo(0.75 + 0.379544, within(1e-5));
        // 2 right of 3 answered; Wilson 95%: [0.2077, 0.9385]
        assertThat(r.answered()).isEqualTo(3);
        assertThat(r.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.accuracyLow()).isCloseTo(0.2077, within(1e-4));
        assertThat(r.accuracyHigh()).isCloseTo(0.9385, within(1e-4));
        // Lambda x86 1,024 MB, 100 ms, + $0.20 and $1.00 per 1M: 1,000 × (0.1 × $0.0000166667 + $0.0000012)
        assertThat(r.platformPer1000Usd()).isCloseTo(1000 * (0.1 * 0.0000166667 + 0.0000012), within(1e-12));
    }
}
