package io.bulwark.tools.chaos;

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

class ChaosCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BulwarkTools.run(Stream.concat(Stream.of("chaos"), Stream.of(args)).toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void should_refuse_a_missing_option_with_the_usage_and_status_2() {
        assertThat(run("--scenario", "steady", "--requests", "10", "--report", "r.md")).isEqualTo(2);
        assertThat(err()).contains("Missing required option: '--seed=S'").contains("Usage: bulwark chaos");
    }

    @Test
    void should_refuse_an_unknown_scenario_naming_the_known_ones() {
        assertThat(run("--scenario", "meteor", "--requests", "10", "--seed", "1", "--report", "r.md")).isEqualTo(2);
        assertThat(err()).contains("unknown scenario 'meteor'").contains("flaky-mix").contains("outage-recovery");
    }

    @Test
    void should_refuse_bad_values_and_options_that_need_another() {
        assertThat(run("--scenario", "steady", "--requests", "0", "--seed", "1", "--report", "r.md")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--requests", "ten", "--seed", "1", "--report", "r.md")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--requests", "1", "--seed", "1", "--report", "r.md",
                "--llm-port", "9000")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--requests", "1", "--seed", "1", "--report", "r.md",
                "--span", "soon")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--requests", "1", "--seed", "1", "--report", "r.md",
                "--target", "ftp://x")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--scenario", "garbage", "--requests", "1", "--seed", "1",
                "--report", "r.md")).isEqualTo(2);
        assertThat(run("steady")).isEqualTo(2);
        assertThat(run("steady", "--scenario", "steady", "--requests", "1", "--seed", "1", "--report", "r.md"))
                .isEqualTo(2);
        assertThat(err()).contains("must be within 1..", "'ten' is not a long", "only applies with --target",
                "must be a duration", "http(s) URL", "should be specified only once",
                "Missing required options: '--scenario=NAME', '--seed=S', '--report=FILE'",
                "Unmatched argument at index 1: 'steady'");
    }

    @Test
    void should_refuse_a_load_run_without_its_companions() {
        assertThat(run("--scenario", "steady", "--seed", "1", "--report", "r.md")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--seed", "1", "--report", "r.md", "--rate", "10")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--seed", "1", "--report", "r.md", "--rate", "10", "--duration", "1s",
                "--target", "http://127.0.0.1:1", "--requests", "5")).isEqualTo(2);
        assertThat(run("--scenario", "all", "--seed", "1", "--report", "r.md", "--rate", "10", "--duration", "1s",
                "--target", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--seed", "1", "--report", "r.md", "--rate", "0", "--duration", "1s",
                "--target", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(run("--scenario", "steady", "--seed", "1", "--report", "r.md", "--rate", "10", "--duration", "1s",
                "--target", "http://127.0.0.1:1", "--connections", "-1")).isEqualTo(2);
        assertThat(err()).contains("Missing required option: '--requests=N'", "needs --rate, --duration and --target",
                "do not apply to a load run", "drives one scenario", "--rate must be within",
                "--connections must be within 0..10000: -1");
    }

    @Test
    void should_report_unreachable_runners_clearly() {
        int status = run("--scenario", "steady", "--requests", "5", "--seed", "1", "--report", "r.md",
                "--target", "http://127.0.0.1:1", "--llm-port", "18999");

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("cannot reach the runner at http://127.0.0.1:1");
    }

    @Test
    void should_write_the_markdown_and_html_reports_and_print_the_table(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("out/chaos.md");

        int status = run("--scenario", "outage-recovery", "--requests", "300", "--seed", "5", "--report",
                report.toString());

        assertThat(status).as(err()).isZero();
        assertThat(Files.readString(report)).contains("| outage-recovery | 300 |").contains("`breaker-closes`");
        assertThat(Files.readString(dir.resolve("out/chaos.html"))).contains("<svg");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| outage-recovery | 300 |")
                .contains("held in every scenario");
        assertThat(err()).contains("100% 300/300 requests");
    }
}
