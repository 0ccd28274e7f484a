package io.bulwark.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BulwarkToolsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BulwarkTools.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void should_print_the_commands_and_the_runner_on_stdout_for_help(String help) {
        assertThat(run(help)).isZero();

        assertThat(out()).startsWith("Usage: bulwark [-h] COMMAND")
                .contains("  chaos ", "  simulate ", "--server.port=9090");
        assertThat(err()).isEmpty();
    }

    @Test
    void should_explain_each_command_for_its_help_option_and_for_help_command() {
        assertThat(run("chaos", "--help")).isZero();
        assertThat(run("help", "simulate")).isZero();

        assertThat(out()).contains("Usage: bulwark chaos [-h] --scenario=NAME [--requests=N] --seed=S --report=FILE",
                        "[--llm-port=P] [--deadline=D] [--span=D] [--rate=R] [--duration=D]",
                        "[--connections=N] [--p95=D]")
                .contains("steady", "outage-recovery", "flaky-mix", "--llm-port=P", "(default 8089)")
                .contains("Usage: bulwark simulate [-h] --scenario=FILE --report=FILE");
        assertThat(err()).isEmpty();
    }

    @Test
    void should_render_every_option_description_without_picocli_format_warnings() {
        // picocli formats descriptions with String.format: a lone % makes it warn on System.err and print the raw text.
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("help", "simulate")).isZero();
            assertThat(run("chaos", "--help")).isZero();
        } finally {
            System.setErr(previous);
        }

        assertThat(systemErr.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(out()).contains("with its 95% interval");
    }

    @Test
    void should_exit_2_naming_an_unknown_command_with_a_suggestion_and_the_usage() {
        assertThat(run("chaso", "--scenario", "steady")).isEqualTo(2);

        assertThat(err()).startsWith("bulwark: unknown command 'chaso'")
                .contains("Did you mean: bulwark chaos or bulwark chaos-classifier?")
                .contains("Usage: bulwark [-h] COMMAND");
        assertThat(out()).isEmpty();
    }

    @Test
    void should_exit_2_with_the_usage_when_no_command_is_named() {
        assertThat(run()).isEqualTo(2);

        assertThat(err()).startsWith("bulwark: name a command: chaos or simulate").contains("Usage: bulwark");
    }

    @Test
    void should_refuse_an_unknown_top_level_option_as_an_option_not_a_command() {
        assertThat(run("--frobnicate")).isEqualTo(2);

        assertThat(err()).startsWith("bulwark: Unknown option: '--frobnicate'");
    }
}
