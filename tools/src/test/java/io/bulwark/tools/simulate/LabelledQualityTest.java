package io.bulwark.tools.simulate;

import io.bulwark.costing.router.ComplexityEstimator;
import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.simulate.LabelledQuery;
import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.sentiment.simulate.StrategyResult;
import io.bulwark.resilience.embedding.Embedders;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.bulwark.sentiment.SentimentLabel.NEGATIVE;
import static io.bulwark.sentiment.SentimentLabel.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Quality on labelled truth over a crafted set: a model that is always right scores 100% against the sentences' own
 * labels, one that is always wrong 0%, whatever the reference says; the local model is measured, not assumed.
 */
class LabelledQualityTest {

    private static final List<LabelledQuery> CRAFTED = List.of(
            new LabelledQuery("I love this phone, it is excellent.", POSITIVE),
            new LabelledQuery("Great sound and a wonderful screen.", POSITIVE),
            new LabelledQuery("Works perfectly, highly recommended.", POSITIVE),
            new LabelledQuery("The best purchase I have made this year.", POSITIVE),
            new LabelledQuery("Very happy with it, great value.", POSITIVE),
            new LabelledQuery("Excellent quality and fast shipping.", POSITIVE),
            new LabelledQuery("Terrible, it broke after one day.", NEGATIVE),
            new LabelledQuery("Awful sound, a waste of money.", NEGATIVE),
            new LabelledQuery("The worst phone I have ever owned.", NEGATIVE),
            new LabelledQuery("Poor quality and it stopped working.", NEGATIVE),
            new LabelledQuery("Horrible battery, do not buy.", NEGATIVE),
            new LabelledQuery("Disappointing and useless.", NEGATIVE));

    private static final String SCENARIO = """
            name: crafted
            seed: 4
            sample: 10
            traffic: {requests_per_day: 1000}
            tokens: {input: {mean: 50}, output: {mean: 10}}
            workload: {repeat_rate: 0.4}
            reference: gpt-4
            models:
              gpt-4: {accuracy: 1, latency_ms: {p50: 100, p95: 100}}
              gpt-3.5-turbo: {accuracy: 0, latency_ms: {p50: 100, p95: 100}}
            strategies:
              - {name: always right, strong: gpt-4, short_output: true}
              - {name: always wrong, cheap: gpt-3.5-turbo, short_output: true}
            """;

    @Test
    void should_score_answers_against_the_sentences_own_labels_and_measure_the_local_model() {
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        SimulationReport r = Simulator.run(Scenario.parse(SCENARIO, Path.of(".")), CRAFTED,
                new ComplexityEstimator(local::positiveProbability),
                new SentimentChainFactory(local, SentimentChain.Settings.defaults(Duration.ofSeconds(2)),
                        Embedders.lazyMiniLm()), Simulator.Progress.NONE);

        StrategyResult right = r.results().get(0);
        StrategyResult wrong = r.results().get(1);
        assertThat(right.labelled()).isEqualTo(10);
        assertThat(right.accuracy()).isEqualTo(1.0);
        assertThat(right.referenceAccuracy()).isEqualTo(1.0);
        assertThat(wrong.accuracy()).isEqualTo(0.0);
        assertThat(wrong.agreement()).isEqualTo(0.0);
        assertThat(wrong.referenceAccuracy()).as("the reference on the same requests").isEqualTo(1.0);
        // the sensitivity table's middle column is the scenario's own assumption; its others re-score the same answers
        assertThat(wrong.sensitivity().get(3)).isEqualTo(wrong.accuracy());
        assertThat(right.sensitivity().get(0)).as("gpt-4 assumed at 0.92").isLessThanOrEqualTo(1.0);
        // the local model, measured on the distinct sentences of the sample
        long distinct = r.workloadKinds().getOrDefault(io.bulwark.sentiment.simulate.Workload.Kind.FRESH, 0L);
        assertThat(r.localAccuracy()).isPresent();
        assertThat(r.localAccuracy().getAsDouble() * distinct).isCloseTo(Math.rint(r.localAccuracy().getAsDouble()
                * distinct), within(1e-9));
        assertThat(r.localAccuracy().getAsDouble()).as("plain sentences the local model knows").isGreaterThan(0.8);
        assertThat(MarkdownReport.render(r)).contains("accuracy (labelled truth)", "| always wrong | ",
                "Sensitivity to the assumed LLM accuracies");
    }
}
