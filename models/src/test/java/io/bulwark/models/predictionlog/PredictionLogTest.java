package io.bulwark.models.predictionlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionLogTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static PredictionRecord record(int i) {
        return new PredictionRecord(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "r" + i, "predict", "v1",
                "{\"island\":\"Dream\",\"note\":\"a, \\\"quoted\\\"\"}", "abc", "Adelie", 0.9, 1.5);
    }

    @Test
    void should_write_one_json_object_per_line() throws Exception {
        Path file = dir.resolve("p.jsonl");
        try (PredictionLog log = PredictionLog.open("jsonl", file, false, JSON)) {
            log.append(record(1));
            log.append(record(2));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(1)).path("request_id").asString()).isEqualTo("r2");
        assertThat(JSON.readTree(lines.get(0)).path("input").asString()).contains("quoted");
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void should_cut_a_torn_last_line_when_reopened(String backend) throws Exception {
        Path file = dir.resolve("p." + backend);
        try (PredictionLog log = PredictionLog.open(backend, file, false, JSON)) {
            log.append(record(1));
        }
        Files.writeString(file, "{\"timestamp\":\"2026-01-01T00:00:0", java.nio.file.StandardOpenOption.APPEND);

        try (PredictionLog log = PredictionLog.open(backend, file, false, JSON)) {
            log.append(record(2));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(backend.equals("csv") ? 3 : 2);
        assertThat(lines.getLast()).contains("r2").doesNotContain("2026-01-01T00:00:0\"");
        assertThat(lines).noneMatch(l -> l.startsWith("{\"timestamp\":\"2026-01-01T00:00:0{"));
    }

    @Test
    void should_write_the_csv_header_once_and_quote_values() throws Exception {
        Path file = dir.resolve("p.csv");
        try (PredictionLog log = PredictionLog.open("csv", file, false, JSON)) {
            log.append(record(1));
        }
        try (PredictionLog log = PredictionLog.open("csv", file, false, JSON)) {
            log.append(record(2));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(String.join(",", PredictionRecord.COLUMNS));
        assertThat(lines.get(1)).contains("\"{\"\"island\"\":\"\"Dream\"\"");
    }

    @Test
    void should_commit_each_record_to_sqlite() throws Exception {
        Path file = dir.resolve("p.db");
        try (PredictionLog log = PredictionLog.open("sqlite", file, false, JSON)) {
            log.append(record(1));
            log.append(new PredictionRecord(Instant.EPOCH, "r2", "predict", "v1", null, "h", "uncertain", null, 2));
        }

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
             var rs = c.createStatement().executeQuery("SELECT request_id, output, confidence FROM predictions ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("r1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("uncertain");
            assertThat(rs.getObject(3)).isNull();
            assertThat(rs.next()).isFalse();
        }
    }
}
