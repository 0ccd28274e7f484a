package io.bulwark.models.predictionlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The prediction log's tables in PostgreSQL and their versioned migrations. {@code bulwark_schema_version} records
 * each migration applied (component {@code prediction_log}, version, when); at start every instance takes the same
 * transaction-scoped advisory lock, so instances starting together apply each migration once. Migrations only ever
 * add: a newer schema than this app knows is used as it is.
 */
final class PostgresSchema {

    /** The component's row in {@code bulwark_schema_version}. */
    static final String COMPONENT = "prediction_log";
    /** The advisory lock the migrations hold (an arbitrary constant: "bulwark" in ASCII, as a number). */
    static final long LOCK_KEY = 0x62756c7761726bL;

    /** Each version's statements, in order: index {@code i} is version {@code i + 1}. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of("CREATE TABLE IF NOT EXISTS predictions (id BIGSERIAL PRIMARY KEY,"
                    + " timestamp TIMESTAMPTZ NOT NULL, request_id TEXT, function TEXT NOT NULL, model_version TEXT,"
                    + " input TEXT, input_hash TEXT, output TEXT, confidence DOUBLE PRECISION,"
                    + " latency_ms DOUBLE PRECISION NOT NULL)"),
            List.of("CREATE INDEX IF NOT EXISTS predictions_request_id ON predictions (request_id)",
                    "CREATE INDEX IF NOT EXISTS predictions_function_timestamp ON predictions (function, timestamp)"));

    private PostgresSchema() {
    }

    /** The version this app's migrations lead to. */
    static int latest() {
        return MIGRATIONS.size();
    }

    /** Applies the migrations {@code connection}'s database lacks, in one transaction; returns the version reached. */
    static int migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            s.execute("CREATE TABLE IF NOT EXISTS bulwark_schema_version (component TEXT NOT NULL,"
                    + " version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (component, version))");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM bulwark_schema_version"
                    + " WHERE component = '" + COMPONENT + "'")) {
                rs.next();
                current = rs.getInt(1);
            }
            for (int v = current + 1; v <= latest(); v++) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO bulwark_schema_version (component, version) VALUES ('" + COMPONENT + "', "
                        + v + ")");
            }
            connection.commit();
            return Math.max(current, latest());
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
