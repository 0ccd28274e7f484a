package io.bulwark.models.dataset;

import io.bulwark.models.input.RowReader;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.testing.PostgresServer;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ingestion from real databases: a SQLite file and a PostgreSQL server started for the test, each read through a
 * named connection, read-only.
 */
class JdbcSourceTest {

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String TABLE = "CREATE TABLE penguins (island TEXT, bill_length_mm REAL, bill_depth_mm REAL,"
            + " flipper_length_mm REAL, body_mass_g REAL, sex TEXT, species TEXT)";
    static final String ROWS = "INSERT INTO penguins VALUES"
            + " ('Biscoe', 48.6, 16.0, 230, 5800, 'male', 'Gentoo'),"
            + " ('Torgersen', 39.1, 18.7, 181, 3750, NULL, 'Adelie'),"
            + " ('Dream', 46.5, 17.9, 192, 3500, 'female', 'Chinstrap'),"
            + " ('Atlantis', 40, 18, 190, 3500, 'female', 'Adelie'),"
            + " ('Dream', 46.5, 17.9, 192, 35, 'female', 'Chinstrap')";

    static PostgresServer postgres;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute(TABLE);
            s.execute(ROWS);
            s.execute("CREATE SEQUENCE tickets");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lab.db"));
             Statement s = c.createStatement()) {
            s.execute(TABLE);
            s.execute(ROWS);
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static DatasetSettings settings() {
        return new DatasetSettings(Map.of(
                "lab", new DatasetSettings.JdbcConnection("jdbc:sqlite:" + dir.resolve("lab.db"), null, null),
                "warehouse", new DatasetSettings.JdbcConnection(postgres.url(), postgres.user(), "unused")),
                List.of(), 1000, 1 << 20, Duration.ofSeconds(10), 5, Duration.ofSeconds(30), 100);
    }

    DatasetVersion ingest(String connection, String query) {
        DatasetStore<Penguin> store = new DatasetStore<>(dir.resolve("datasets-" + connection), PENGUINS, JSON, CLOCK,
                1000);
        try (RowReader rows = new JdbcSource(settings()).open(connection, query)) {
            return store.ingest(rows, DatasetStore.source("type", "jdbc", "connection", connection, "query", query),
                    "query").version();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab", "warehouse"})
    void should_ingest_a_query_s_rows_and_report_the_rejected_ones(String connection) {
        DatasetVersion v = ingest(connection, "SELECT * FROM penguins ORDER BY body_mass_g DESC;");

        assertThat(v.rows()).isEqualTo(3);
        assertThat(v.rejectedRows()).isEqualTo(2);
        assertThat(v.labels()).containsEntry("Gentoo", 1L).containsEntry("Adelie", 1L).containsEntry("Chinstrap", 1L);
        assertThat(v.profile().get("sex").missing()).isEqualTo(1);
        assertThat(v.source()).containsEntry("connection", connection).doesNotContainKey("password");
    }

    @Test
    void should_store_the_same_rows_from_sqlite_and_postgresql_as_the_same_content() {
        String q = "SELECT island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex, species"
                + " FROM penguins WHERE island <> 'Atlantis' AND body_mass_g > 100 ORDER BY species";

        assertThat(ingest("lab", q).sha256()).isEqualTo(ingest("warehouse", q).sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM penguins",
            "SELECT * FROM penguins; DROP TABLE penguins",
            "WITH gone AS (DELETE FROM penguins RETURNING *) SELECT * FROM gone",
            "SELECT * INTO copy FROM penguins",
            "UPDATE penguins SET species = 'x'",
            "PRAGMA writable_schema = 1",
    })
    void should_refuse_a_query_that_writes_before_it_reaches_the_database(String query) throws Exception {
        for (String connection : List.of("lab", "warehouse")) {
            assertThatThrownBy(() -> new JdbcSource(settings()).open(connection, query))
                    .isInstanceOfSatisfying(RequestRejected.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("query_not_allowed");
                        assertThat(e.field()).isEqualTo("query");
                    });
        }
        assertThat(count()).isEqualTo(5);
    }

    @Test
    void should_have_the_database_refuse_a_select_that_writes_through_a_function() throws Exception {
        assertThatThrownBy(() -> ingest("warehouse", "SELECT nextval('tickets') AS n"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("query_failed");
                    assertThat(e.field()).isEqualTo("query");
                    assertThat(e.getMessage()).contains("read-only");
                });
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT last_value, is_called FROM tickets")) {
            r.next();
            assertThat(r.getBoolean("is_called")).as("the sequence was never advanced").isFalse();
        }
        assertThat(Files.list(dir.resolve("datasets-warehouse")).filter(p -> !p.getFileName().toString()
                .startsWith("ds-")).toList()).isEmpty();
    }

    @Test
    void should_open_sqlite_read_only() {
        assertThatThrownBy(() -> ingest("lab", "SELECT * FROM no_such_table"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("query_failed"));
        assertThat(Files.exists(dir.resolve("lab.db-journal"))).isFalse();
    }

    @Test
    void should_refuse_an_unknown_connection_naming_the_field_and_listing_the_known_ones() {
        assertThatThrownBy(() -> new JdbcSource(settings()).open("prod", "SELECT 1"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("connection");
                    assertThat(e.getMessage()).contains("prod").contains("lab, warehouse");
                });
    }

    @Test
    void should_answer_422_naming_the_connection_when_the_database_cannot_be_opened() {
        DatasetSettings missing = new DatasetSettings(Map.of("gone", new DatasetSettings.JdbcConnection(
                "jdbc:sqlite:" + dir.resolve("absent.db"), null, null)), List.of(), 10, 10, Duration.ofSeconds(1), 0,
                Duration.ofSeconds(1), 1);

        assertThatThrownBy(() -> new JdbcSource(missing).open("gone", "SELECT 1"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.field()).isEqualTo("connection");
                });
        assertThat(Files.exists(dir.resolve("absent.db"))).as("read-only open creates nothing").isFalse();
    }

    private static long count() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM penguins")) {
            r.next();
            return r.getLong(1);
        }
    }
}
