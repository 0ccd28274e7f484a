package io.bulwark.tools.simulate;

import io.bulwark.costing.PriceTable;
import io.bulwark.costing.TokenEstimator;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Simulator;
import io.bulwark.sentiment.simulate.StrategyResult;
import io.bulwark.sentiment.simulate.TrafficFile;
import io.bulwark.sentiment.simulate.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code simulate --traffic}: a recorded stream replayed through the real chain, its totals the ledger's. */
class ReplayTest {

    static final String SCENARIO = """
            name: replay
            seed: 9
            sample: 50
            traffic: {requests_per_day: 10000}
            tokens: {input: {mean: 50}, output: {mean: 20}}
            reference: gpt-4o-mini
            models:
              gpt-4o-mini: {accuracy: 1, latency_ms: {p50: 300, p95: 300}}
            strategies:
              - {name: cheap + exact cache, cheap: gpt-4o-mini, exact_cache: true, short_output: true}
            """;

    static final String LOG = """
            {"timestamp":"2026-11-29T10:00:00Z","request_id":"a","function":"sentiment","model_version":"gpt-4o-mini","input":"{\\"text\\":\\"The battery died after a week.\\"}","input_hash":"x","output":"negative","confidence":0.9,"latency_ms":412.0}
            {"timestamp":"2026-11-29T10:00:01Z","request_id":"b","function":"predict","model_version":"v1","input":"{\\"island\\":\\"Biscoe\\"}","input_hash":"y","output":"Gentoo","confidence":0.98,"latency_ms":1.0}
            {"timestamp":"2026-11-29T10:00:02Z","request_id":"c","function":"sentiment","model_version":"gpt-4o-mini","input":"{\\"text\\":\\"I love this case, it fits perfectly.\\"}","input_hash":"z","output":"positive","confidence":0.9,"latency_ms":388.0}
            this line is not JSON
            {"timestamp":"2026-11-29T10:00:05Z","request_id":"d","function":"sentiment","model_version":"gpt-4o-mini","input":"{\\"text\\":\\"the battery  died after a week.\\"}","input_hash":"x","output":"negative","confidence":0.9,"latency_ms":0.5}
            {"timestamp":"2026-11-29T10:00:06Z","request_id":"e","function":"sentiment","model_version":"gpt-4o-mini","input":null,"input_hash":"w","output":"positive","confidence":0.9,"latency_ms":390.0}
            {"timestamp":"2026-11-29T10:00:09Z","request_id":"f","function":"sentiment","model_version":"gpt-4o-mini","input":"{\\"text\\":\\"Not bad, but the screen scratches easily.\\"}","input_hash":"v","output":"negative","confidence":0.9,"latency_ms":401.0}
            """;

    @Test
    void should_replay_a_prediction_log_skipping_its_bad_lines_and_total_what_the_ledger_charged(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("predictions.jsonl");
        Files.writeString(file, LOG);
        TrafficFile traffic = TrafficFile.read(file);

        SimulationReport r = SimulateCommand.replay(Scenario.parse(SCENARIO, dir), traffic, Simulator.Progress.NONE);

        assertThat(traffic.problems()).extracting(TrafficFile.Problem::number).containsExactly(2, 4, 6);
        assertThat(traffic.problems().get(2).message()).contains("redacted");
        assertThat(r.workloadKinds()).containsEntry(Workload.Kind.FRESH, 3L).containsEntry(Workload.Kind.REPEAT, 1L);
        assertThat(r.span().toSeconds()).as("the log's own timing: 10:00:00 to 10:00:09").isEqualTo(9);
        // Each distinct text is one gpt-4o-mini call (the repeat, up to case and spacing, is an exact-cache hit):
        // the system prompt and the text in, the contract's JSON out, as the tokenizer counts them.
        LocalSentimentModel local = LocalSentimentModel.trainDefault();
        TokenEstimator t = TokenEstimator.forModel("gpt-4o-mini");
        double expected = 0;
        Set<String> distinct = new LinkedHashSet<>(List.of("The battery died after a week.",
                "I love this case, it fits perfectly.", "Not bad, but the screen scratches easily."));
        for (String text : distinct) {
            SentimentLabel label = local.label(text);
            expected += PriceTable.defaults().require("gpt-4o-mini").cost(
                    t.chatInput(OpenAiSentimentProvider.SYSTEM_PROMPT, text),
                    t.count("{\"sentiment\": \"" + label.wire() + "\", \"confidence\": 0.9}"));
        }
        StrategyResult x = r.results().getFirst();
        assertThat(x.requests()).isEqualTo(4);
        assertThat(x.exactHits()).isEqualTo(1);
        assertThat(x.costUsd()).isCloseTo(expected, within(1e-15));
        assertThat(x.tokenMonthlyUsd()).isCloseTo(expected / 4 * 300_000, within(1e-9));
        assertThat(x.labelled()).as("a prediction log carries answers, not truth").isZero();
        assertThat(MarkdownReport.render(r)).contains("Replayed traffic: `predictions.jsonl`, 4 requests",
                "3 bad lines skipped (line 2: a prediction of function 'predict', not sentiment; line 4: not a JSON");
    }

    @Test
    void should_replay_a_labelled_csv_and_score_it_on_its_own_labels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("texts.csv");
        Files.writeString(file, """
                text,timestamp,label
                "Great phone, I love it",2026-11-29T10:00:00Z,positive
                Terrible battery and awful support,2026-11-29T10:01:00Z,0
                "Quoted ""really"" well made",,1
                no label here,,
                bad label,,maybe
                """);
        TrafficFile traffic = TrafficFile.read(file);

        SimulationReport r = SimulateCommand.replay(Scenario.parse(SCENARIO, dir), traffic, Simulator.Progress.NONE);

        assertThat(traffic.lines()).extracting(TrafficFile.Line::text).containsExactly("Great phone, I love it",
                "Terrible battery and awful support", "Quoted \"really\" well made", "no label here");
        assertThat(traffic.problems()).singleElement().satisfies(p -> {
            assertThat(p.number()).isEqualTo(6);
            assertThat(p.message()).contains("label 'maybe'");
        });
        StrategyResult x = r.results().getFirst();
        assertThat(x.labelled()).isEqualTo(3);
        assertThat(x.accuracy()).as("a model of accuracy 1 against the file's labels").isEqualTo(1.0);
    }

    @Test
    void should_refuse_a_file_without_a_line_to_replay_naming_its_lines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"txt\": \"typo\"}\nnot json\n");

        assertThatThrownBy(() -> TrafficFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1: no \"text\"").hasMessageContaining("line 2: not a JSON object")
                .hasMessageContaining("a CSV with a 'text' column");
    }
}
