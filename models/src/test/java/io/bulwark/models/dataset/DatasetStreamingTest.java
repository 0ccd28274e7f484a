package io.bulwark.models.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ingest streams: 1,000,000 rows (about 50 MB of CSV, several hundred MB as parsed rows) go through a JVM whose
 * heap is capped at 64 MB. Holding the rows would fail with an OutOfMemoryError; streaming does not.
 */
class DatasetStreamingTest {

    static final long ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void should_ingest_a_million_rows_in_a_64_mb_heap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
                MillionRows.class.getName(), dir.toString(), Long.toString(ROWS)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished").isTrue();

        System.out.println(out.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(out));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("rows=" + (ROWS - ROWS / 1000) + " rejected=" + ROWS / 1000 + " ")
                .contains("max_heap_mb=");
    }
}
