package io.bulwark.tools.simulate;

import io.bulwark.tools.BulwarkTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BulwarkTools.run(Stream.concat(Stream.of("simulate"), Stream.of(args)).toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void should_exit_2_with_the_usage_when_an_argument_is_missing_or_unknown() {
        assertThat(run("--scenario", "x.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--report=FILE'", "Usage: bulwark simulate");
        assertThat(run("--scenario", "x.yaml", "--report", "r.md", "--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void should_exit_2_naming_the_problem_of_a_bad_scenario(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "name: x\nsampel: 3\n");

        assertThat(run("--scenario", scenario.toString(), "--report", dir.resolve("r.md").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the scenario has an unknown key 'sampel'");
    }

    @Test
    void should_exit_2_with_the_line_and_what_to_do_for_a_traffic_file_without_a_good_line(@TempDir Path dir)
            throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, ReplayTest.SCENARIO);
        Path traffic = dir.resolve("t.jsonl");
        Files.writeString(traffic, "{\"txt\": \"typo\"}\n");

        assertThat(run("--scenario", scenario.toString(), "--report", dir.resolve("r.md").toString(), "--traffic",
                traffic.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 1: no \"text\"",
                "JSON Lines of {\"text\": ...}").doesNotContain("Exception", "\tat ");
        assertThat(run("--scenario", scenario.toString(), "--report", dir.resolve("r.md").toString(), "--traffic",
                dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no traffic file at");
    }

    @Test
    void should_exit_2_for_an_unknown_model_or_a_negative_budget_saying_what_to_do(@TempDir Path dir) throws Exception {
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, ReplayTest.SCENARIO.replace("gpt-4o-mini", "gpt-9-ultra"));
        Path negative = dir.resolve("negative.yaml");
        Files.writeString(negative, ReplayTest.SCENARIO + "budget: {daily_usd: -5}\n");

        assertThat(run("--scenario", unknown.toString(), "--report", dir.resolve("r.md").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no price for model 'gpt-9-ultra'", "known: [")
                .doesNotContain("\tat ");
        assertThat(run("--scenario", negative.toString(), "--report", dir.resolve("r.md").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("budget.daily_usd must not be negative: -5",
                "or 0 for no budget").doesNotContain("\tat ");
    }

    @Test
    void should_exit_2_with_the_place_of_a_yaml_syntax_error_not_a_stack_trace(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("broken.yaml");
        Files.writeString(scenario, "name: x\ntraffic: [1, 2\n");

        assertThat(run("--scenario", scenario.toString(), "--report", dir.resolve("r.md").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not valid YAML", "(line 3, column 1)")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void should_write_a_markdown_and_a_self_contained_html_report_with_a_progress_bar(@TempDir Path dir)
            throws Exception {
        Path scenario = dir.resolve("small.yaml");
        Files.writeString(scenario, CostSimulationTest.SCENARIO.formatted(3, 0.01));

        int code = run("--scenario", scenario.toString(), "--report", dir.resolve("out/report.html").toString());

        assertThat(code).isEqualTo(0);
        String md = Files.readString(dir.resolve("out/report.md"));
        String html = Files.readString(dir.resolve("out/report.html"));
        assertThat(md).contains("## Strategies side by side", "$49,500.00", "| all |", "| semantic |")
                .doesNotContain("not run");
        assertThat(html).contains("<svg", "target: $2,000 a month").doesNotContain("<script", "https://", "<link");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[##############################] 100%");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("calculator baseline", "$49,500.00");
    }
}
