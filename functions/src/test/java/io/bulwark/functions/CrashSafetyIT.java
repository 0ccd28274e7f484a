package io.bulwark.functions;

import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.predictionlog.PredictionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real process with SIGKILL in the middle of a registry write and of log appends, then checks what
 * it left on disk.
 */
class CrashSafetyIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** Starts {@link CrashChild}, waits for a line starting with {@code signal}, kills it; returns that line. */
    private static String runAndKill(String signal, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(signal)) {
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                    child.waitFor();
                    return line;
                }
            }
        } finally {
            child.destroyForcibly();
        }
        throw new AssertionError("the child ended without saying " + signal + ": exit " + child.waitFor());
    }

    @Test
    void should_leave_no_half_version_when_killed_between_staging_and_rename() throws Exception {
        String line = runAndKill("STAGED", "registry", dir.toString());
        Path staged = Path.of(line.substring("STAGED ".length()));
        assertThat(staged).exists(); // the crash really came mid-write

        ModelRegistry reopened = new ModelRegistry(dir, JSON);

        assertThat(reopened.versions()).containsExactly("v1");
        assertThat(reopened.promotion().promoted()).isEqualTo("v1");
        assertThat(reopened.load("v1")).isNotNull();
        assertThat(staged).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("v1", "promotion.json");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void should_keep_only_whole_lines_when_killed_while_appending(String backend) throws Exception {
        Path file = dir.resolve("predictions." + backend);
        runAndKill("APPENDED 2000", "log", backend, file.toString());

        // The kill may land inside the write of a line: everything before the last newline must be whole.
        byte[] raw = Files.readAllBytes(file);
        int whole = 0;
        for (int i = raw.length - 1; i >= 0; i--) {
            if (raw[i] == '\n') {
                whole = i + 1;
                break;
            }
        }
        List<String> lines = new String(raw, 0, whole, StandardCharsets.UTF_8).lines().toList();
        int header = backend.equals("csv") ? 1 : 0;
        assertThat(lines.size() - header).isGreaterThanOrEqualTo(2000);
        for (int i = header; i < lines.size(); i++) {
            if (backend.equals("jsonl")) {
                assertThat(JSON.readTree(lines.get(i)).path("request_id").asString()).isEqualTo("r" + (i + 1));
            } else {
                assertThat(lines.get(i)).startsWith("20").contains(",r" + i + ",");
            }
        }

        // ...and a torn last line is cut off when the log is opened again.
        PredictionLog.open(backend, file, false, JSON).close();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isEqualTo(whole);
        assertThat(bytes[bytes.length - 1]).as("the file ends with a whole line").isEqualTo((byte) '\n');
    }

    @Test
    void should_keep_every_committed_sqlite_row_when_killed_while_appending() throws Exception {
        Path file = dir.resolve("predictions.db");
        runAndKill("APPENDED 2000", "log", "sqlite", file.toString());

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT count(*), min(id), max(id) FROM predictions")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(2000);
            assertThat(rs.getInt(3) - rs.getInt(2) + 1).as("no gaps").isEqualTo(rs.getInt(1));
        }
    }
}
