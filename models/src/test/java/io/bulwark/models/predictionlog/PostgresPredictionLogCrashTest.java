package io.bulwark.models.predictionlog;

import io.bulwark.models.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real JVM with SIGKILL while it writes to the PostgreSQL prediction log, then checks the table: every
 * record acknowledged (its batch committed) before the kill is there, once, and whole; what is lost is only the tail
 * that was still in memory.
 */
class PostgresPredictionLogCrashTest {

    static PostgresServer postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void should_keep_every_acknowledged_record_when_the_app_is_killed_while_writing() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                PostgresCrashChild.class.getName(), postgres.url()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int acked = 0;
        String lastAcked = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                assertThat(line).as("no record dropped").doesNotStartWith("DROPPED");
                if (line.startsWith("ACKED ")) {
                    String[] parts = line.split(" ");
                    acked = Integer.parseInt(parts[1]);
                    lastAcked = parts[2];
                    if (acked >= 20_000) {
                        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no last flush
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(acked).as("the child acknowledged records before it was killed").isGreaterThanOrEqualTo(20_000);
        assertThat(lastAcked).isEqualTo("c" + acked);

        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT request_id),"
                     + " min(substr(request_id, 2)::int), max(substr(request_id, 2)::int),"
                     + " count(*) FILTER (WHERE input_hash IS NULL OR output IS NULL OR input NOT LIKE '%}')"
                     + " FROM predictions")) {
            rs.next();
            long rows = rs.getLong(1);
            assertThat(rs.getLong(2)).as("no record twice").isEqualTo(rows);
            assertThat(rs.getInt(3)).isEqualTo(1);
            int max = rs.getInt(4);
            assertThat(rows).as("c1..c%d with no gap", max).isEqualTo(max);
            assertThat(max).as("every acknowledged record is there").isGreaterThanOrEqualTo(acked);
            assertThat(rs.getLong(5)).as("no torn row").isZero();
        }
    }
}
