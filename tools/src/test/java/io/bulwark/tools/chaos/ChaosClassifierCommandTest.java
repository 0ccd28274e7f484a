package io.bulwark.tools.chaos;

import io.bulwark.tools.BulwarkTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark chaos-classifier}: a corrupt promoted version, for real, and the hypothesis over its replies. */
class ChaosClassifierCommandTest {

    @Test
    void should_hold_the_hypothesis_when_the_promoted_version_is_corrupt_and_write_the_report(@TempDir Path dir)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path report = dir.resolve("classifier.md");

        int status = BulwarkTools.run(new String[] {"chaos-classifier", "--scenario", "classifier-corrupt-version",
                "--requests", "30", "--seed", "4", "--report", report.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));

        String md = Files.readString(report);
        assertThat(status).as(md).isZero();
        assertThat(md).contains("| classifier-corrupt-version | 30 | 30 | 30 | 0 | 0 |")
                .contains("| fault-handled | PASS | 30 of 30 answers by the fallback |")
                .contains("answered by the previously promoted version v1");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("held in every scenario");
    }

    @Test
    void should_refuse_an_unknown_scenario_with_status_2(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = BulwarkTools.run(new String[] {"chaos-classifier", "--scenario", "nope", "--requests", "3",
                "--seed", "1", "--report", dir.resolve("r.md").toString()}, new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown scenario 'nope'");
    }
}
