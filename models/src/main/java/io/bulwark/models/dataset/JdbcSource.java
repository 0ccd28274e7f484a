package io.bulwark.models.dataset;

import io.bulwark.models.input.Row;
import io.bulwark.models.input.RowReader;
import io.bulwark.resilience.failure.RequestRejected;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a dataset from a named database connection: one read-only query whose rows stream through a cursor (fetch
 * size {@value #FETCH_SIZE}), each a {@link Row} of column label (lower case) → text, as a CSV row is.
 *
 * <p>Read-only twice over: {@link SqlGuard} refuses anything but a single {@code SELECT}/{@code WITH}, and the
 * connection is opened read-only (SQLite's read-only open mode; elsewhere {@link Connection#setReadOnly} inside a
 * transaction that is rolled back, which PostgreSQL runs as {@code READ ONLY}), so a query that writes through a
 * function ({@code nextval}, a writable CTE) is refused by the database too.
 */
public final class JdbcSource {

    static final int FETCH_SIZE = 1000;

    private final DatasetSettings settings;

    public JdbcSource(DatasetSettings settings) {
        this.settings = settings;
    }

    /**
     * Opens the query's rows on the connection named {@code connection}. Refusals: 400 {@code invalid_value} naming
     * {@code connection} (unknown name), 400 {@code query_not_allowed} naming {@code query} (not one read-only
     * statement), 422 {@code connection_failed} naming {@code connection}, 400 {@code query_failed} naming
     * {@code query} (the database refused it).
     */
    public RowReader open(String connection, String query) {
        DatasetSettings.JdbcConnection c = settings.connections().get(connection);
        if (c == null) {
            throw new RequestRejected("invalid_value", "connection", "no dataset connection is named '"
                    + clip(connection) + "'" + (settings.connections().isEmpty()
                    ? "; none is configured (bulwark.datasets.connections.<name>.url)"
                    : "; the connections are " + String.join(", ", new TreeSet<>(settings.connections().keySet()))));
        }
        String sql = SqlGuard.check(query);
        Connection db = connect(connection, c);
        try {
            Statement statement = db.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_SIZE);
            statement.setQueryTimeout((int) Math.max(1, settings.queryTimeout().toSeconds()));
            ResultSet rows = statement.executeQuery(sql);
            return new Rows(db, rows);
        } catch (SQLException e) {
            closeQuietly(db);
            throw queryFailed(e);
        }
    }

    private static Connection connect(String name, DatasetSettings.JdbcConnection c) {
        Properties p = new Properties();
        if (c.user() != null) {
            p.setProperty("user", c.user());
        }
        if (c.password() != null) {
            p.setProperty("password", c.password());
        }
        boolean sqlite = c.url().startsWith("jdbc:sqlite:");
        if (sqlite) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: the file is never written, nor created
        }
        try {
            Connection db = DriverManager.getConnection(c.url(), p);
            try {
                if (!sqlite) {
                    db.setAutoCommit(false); // a cursor (PostgreSQL streams with a fetch size only inside a transaction)
                    db.setReadOnly(true);
                }
                return db;
            } catch (SQLException e) {
                closeQuietly(db);
                throw e;
            }
        } catch (SQLException e) {
            throw new RequestRejected(422, "connection_failed", "connection", "the dataset connection '" + name
                    + "' could not be opened: " + describe(e));
        }
    }

    static RequestRejected queryFailed(SQLException e) {
        return new RequestRejected("query_failed", "query", "the database refused the query: " + describe(e));
    }

    private static String describe(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return (e.getSQLState() != null ? "[" + e.getSQLState() + "] " : "") + clip(m);
    }

    private static void closeQuietly(Connection db) {
        try {
            if (!db.getAutoCommit()) {
                db.rollback();
            }
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // nothing else to release
        }
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** The result set as rows; closing it rolls back (nothing was written) and closes the connection. */
    private static final class Rows implements RowReader {
        private final Connection db;
        private final ResultSet rows;
        private final String[] columns;
        private int index;

        Rows(Connection db, ResultSet rows) throws SQLException {
            this.db = db;
            this.rows = rows;
            ResultSetMetaData meta = rows.getMetaData();
            columns = new String[meta.getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = meta.getColumnLabel(i + 1).strip().toLowerCase(Locale.ROOT);
            }
        }

        @Override
        public Row next() {
            try {
                if (!rows.next()) {
                    return null;
                }
                Map<String, String> values = new HashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    String v = rows.getString(i + 1);
                    if (v != null) {
                        values.put(columns[i], v);
                    }
                }
                return new Row(index++, values, null);
            } catch (SQLException e) {
                throw queryFailed(e);
            }
        }

        @Override
        public void close() {
            try {
                rows.close();
            } catch (SQLException ignored) {
                // the connection's close releases it
            }
            closeQuietly(db);
        }
    }
}
