package io.bulwark.functions.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar's command line: {@code java -jar target/bulwark.jar chaos ...}.
 */
class ChaosCommandIT {

    private static final Path JAR = Path.of("target/bulwark.jar");

    record Result(int status, String out, String err) {
    }

    private static Result java(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void should_run_a_scenario_write_both_reports_and_give_the_same_report_for_the_same_seed(@TempDir Path dir)
            throws Exception {
        Result first = java(dir, "chaos", "--scenario", "flaky-mix", "--requests", "500", "--seed", "3",
                "--report", "a/report.md");
        String report = Files.readString(dir.resolve("a/report.md"));
        Result second = java(dir, "chaos", "--scenario", "flaky-mix", "--requests", "500", "--seed", "3",
                "--report", "a/report.md");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("| flaky-mix | 500 |").contains("held in every scenario");
        assertThat(first.err()).contains("flaky-mix").contains("100% 500/500 requests");
        assertThat(Files.readString(dir.resolve("a/report.html"))).contains("<svg");
        assertThat(second.status()).isZero();
        assertThat(Files.readString(dir.resolve("a/report.md"))).isEqualTo(report);
    }

    @Test
    void should_exit_2_with_the_usage_for_bad_arguments_and_unknown_commands(@TempDir Path dir) throws Exception {
        Result bad = java(dir, "chaos", "--scenario", "flaky-mix");
        Result unknown = java(dir, "frobnicate");

        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("Missing required options: '--seed=S', '--report=FILE'")
                .contains("Usage: bulwark chaos");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'").contains("chaos").contains("Usage: bulwark");
    }

    @Test
    void should_print_the_usage_for_help_without_starting_the_server(@TempDir Path dir) throws Exception {
        Result help = java(dir, "--help");
        Result word = java(dir, "help");
        Result simulate = java(dir, "simulate", "--help");

        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("chaos").contains("simulate").contains("--server.port");
        assertThat(help.out() + help.err()).doesNotContain("Tomcat");
        assertThat(word.status()).isZero();
        assertThat(word.out()).isEqualTo(help.out());
        assertThat(simulate.status()).isZero();
        assertThat(simulate.out()).contains("Usage: bulwark simulate", "--scenario=FILE", "--report=FILE");
    }
}
