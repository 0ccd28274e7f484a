package io.bulwark.models.predictionlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * An SQLite log: table {@code predictions} with {@link PredictionRecord#COLUMNS}, one auto-committed insert per
 * record in WAL mode. A committed row survives a process crash; {@code sync} makes it survive power loss too
 * ({@code synchronous=FULL} instead of {@code NORMAL}). A failed insert is rolled back by SQLite: nothing of it
 * stays. Not rotated: {@code max-size} and {@code max-files} do not apply (prune it with SQL, e.g.
 * {@code DELETE FROM predictions WHERE timestamp < ...}).
 */
final class SqlitePredictionLog implements PredictionLog {

    private final Connection connection;
    private final PreparedStatement insert;

    SqlitePredictionLog(Path path, boolean sync) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            connection = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + (sync ? "FULL" : "NORMAL"));
                s.execute("CREATE TABLE IF NOT EXISTS predictions (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " timestamp TEXT NOT NULL, request_id TEXT, function TEXT NOT NULL, model_version TEXT,"
                        + " input TEXT, input_hash TEXT, output TEXT, confidence REAL, latency_ms REAL)");
            }
            insert = connection.prepareStatement("INSERT INTO predictions (timestamp, request_id, function,"
                    + " model_version, input, input_hash, output, confidence, latency_ms) VALUES (?,?,?,?,?,?,?,?,?)");
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot open the SQLite prediction log " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void append(PredictionRecord r) {
        try {
            insert.setString(1, r.timestamp().toString());
            insert.setString(2, r.requestId());
            insert.setString(3, r.function());
            insert.setString(4, r.modelVersion());
            insert.setString(5, r.input());
            insert.setString(6, r.inputHash());
            insert.setString(7, r.output());
            if (r.confidence() == null) {
                insert.setNull(8, Types.REAL);
            } else {
                insert.setDouble(8, r.confidence());
            }
            insert.setDouble(9, r.latencyMs());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new PredictionLogException("cannot append to the SQLite prediction log: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            insert.close();
            connection.close();
        } catch (SQLException ignored) {
            // committed rows are already in the database
        }
    }
}
