package io.bulwark.models.predictionlog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the PostgreSQL prediction log back: the records after an id (to follow the log in pages), or those of one
 * request id (the key {@code POST /feedback} joins on). Opens one connection per call; for reports and jobs, not for
 * the request path.
 */
public final class PostgresPredictions {

    /** A record with the id the table gave it: ids grow in the order each instance appended its records. */
    public record Logged(long id, PredictionRecord record) {
    }

    private static final String COLUMNS = "id, timestamp, request_id, function, model_version, input, input_hash,"
            + " output, confidence, latency_ms";

    private final PostgresSettings settings;

    public PostgresPredictions(PostgresSettings settings) {
        this.settings = settings;
    }

    /** Returns at most {@code limit} records with an id above {@code afterId}, by id. */
    public List<Logged> after(long afterId, int limit) {
        return query("SELECT " + COLUMNS + " FROM predictions WHERE id > ? ORDER BY id LIMIT ?", afterId, limit);
    }

    /** Returns the records of {@code requestId} (a prediction and the feedback that labels it), by id. */
    public List<Logged> ofRequest(String requestId) {
        return query("SELECT " + COLUMNS + " FROM predictions WHERE request_id = ? ORDER BY id", requestId);
    }

    private List<Logged> query(String sql, Object... parameters) {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.connectionProperties());
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<Logged> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    double value = rs.getDouble("confidence");
                    Double confidence = rs.wasNull() ? null : value;
                    out.add(new Logged(rs.getLong("id"), new PredictionRecord(rs.getTimestamp("timestamp").toInstant(),
                            rs.getString("request_id"), rs.getString("function"), rs.getString("model_version"),
                            rs.getString("input"), rs.getString("input_hash"), rs.getString("output"),
                            confidence, rs.getDouble("latency_ms"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new PredictionLogException("cannot read the PostgreSQL prediction log (" + settings.url() + "): "
                    + e.getMessage(), e);
        }
    }
}
