package io.bulwark.models.predictionlog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PostgreSQL log: {@link #append} puts the record in a bounded in-memory queue and returns at once; one writer
 * thread takes what the queue holds (up to {@code batch-size} records), inserts it as one JDBC batch and commits.
 * A record is <em>acknowledged</em> when its batch commits ({@link QueuedLogEvents#onCommitted}); from then on it
 * survives a crash of the app (kill -9) — and of the database server as PostgreSQL's own durability allows.
 *
 * <p>What a crash of the app can lose is what was not yet acknowledged: the records in the queue and the batch being
 * written, at most {@code queue-capacity + batch-size} records. A full queue drops the new record
 * ({@link QueuedLogEvents#onDropped}); the caller is never blocked nor refused. A failed write (the server down, a
 * network fault) keeps the batch in hand and retries it after a back-off of 100 ms doubling to 5 s, reconnecting;
 * meanwhile the queue fills and then drops. Records are inserted in the order they were appended, so within one
 * instance the {@code id} column follows the order of the appends.
 *
 * <p>{@link #close()} stops taking records and gives the writer {@link #CLOSE_TIMEOUT_MILLIS} to write what is queued.
 */
final class PostgresPredictionLog implements PredictionLog {

    /** How long {@link #close()} waits for the queue to be written. */
    static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 5_000;
    private static final String INSERT = "INSERT INTO predictions (timestamp, request_id, function, model_version,"
            + " input, input_hash, output, confidence, latency_ms) VALUES (?,?,?,?,?,?,?,?,?)";

    private final PostgresSettings settings;
    private final QueuedLogEvents events;
    private final BlockingQueue<PredictionRecord> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final Object wake = new Object();
    private volatile boolean closing;
    /** Owned by the writer thread (and the constructor, before it starts). */
    private Connection connection;
    private PreparedStatement insert;

    PostgresPredictionLog(PostgresSettings settings, QueuedLogEvents events) {
        this.settings = settings;
        this.events = events;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        try {
            connect(); // the schema is created or migrated at start when the server is there ...
        } catch (SQLException e) {
            // ... and by the writer's first reconnection when it is not: a start never waits for the database
            disconnect();
            events.onWriteFailed(failure("cannot connect to", e), 0, 0);
        }
        this.writer = Thread.ofPlatform().name("prediction-log-postgres").daemon(true).unstarted(this::write);
        writer.start();
    }

    @Override
    public void append(PredictionRecord record) {
        if (closing || !queue.offer(record)) {
            events.onDropped(record, dropped.incrementAndGet());
        }
    }

    @Override
    public void appendAll(List<PredictionRecord> records) {
        for (PredictionRecord r : records) {
            append(r);
        }
    }

    /** Records waiting for the writer (not counting the batch in its hands). */
    int queued() {
        return queue.size();
    }

    /** Records dropped since the start. */
    long dropped() {
        return dropped.get();
    }

    private void write() {
        List<PredictionRecord> batch = new ArrayList<>(settings.batchSize());
        long retry = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                if (batch.isEmpty()) {
                    if (closing && queue.isEmpty()) {
                        break;
                    }
                    PredictionRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, settings.batchSize() - 1);
                }
                insert(batch);
                committed(batch);
                batch.clear();
                retry = FIRST_RETRY_MILLIS;
            } catch (SQLException | RuntimeException e) {
                disconnect();
                if (e instanceof RuntimeException || isBadData((SQLException) e)) {
                    // a record the server (or the driver) refuses would block the log for ever if its batch were
                    // retried whole
                    List<PredictionRecord> rest = insertOneByOne(batch);
                    batch.clear();
                    batch.addAll(rest);
                    continue;
                }
                events.onWriteFailed(failure("cannot write " + batch.size() + " records to", e), batch.size(),
                        closing ? 0 : retry);
                if (closing) {
                    // the server is away and the app is stopping: what is left is dropped, and counted
                    queue.drainTo(batch);
                    batch.forEach(r -> events.onDropped(r, dropped.incrementAndGet()));
                    break;
                }
                if (!pause(retry)) {
                    break;
                }
                retry = Math.min(retry * 2, MAX_RETRY_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
        disconnect();
    }

    /** Tells the listener of a commit; a listener that throws must not make a committed batch be written again. */
    private void committed(List<PredictionRecord> batch) {
        try {
            events.onCommitted(List.copyOf(batch));
        } catch (RuntimeException ignored) {
            // the records are in the table: what the listener failed to count is its own matter
        }
    }

    /** Data errors (class 22) and constraint violations (class 23): the records, not the server, are at fault. */
    private static boolean isBadData(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("22") || s.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the records of a refused batch one per transaction; the ones refused again are dropped and counted.
     * Returns the records not tried when the server itself failed meanwhile: they are retried as a batch.
     */
    private List<PredictionRecord> insertOneByOne(List<PredictionRecord> batch) {
        for (int i = 0; i < batch.size(); i++) {
            PredictionRecord r = batch.get(i);
            try {
                insert(List.of(r));
                committed(List.of(r));
            } catch (SQLException | RuntimeException e) {
                disconnect();
                if (e instanceof SQLException s && !isBadData(s)) {
                    return new ArrayList<>(batch.subList(i, batch.size()));
                }
                events.onWriteFailed(failure("cannot write a record (dropped) to", e), 1, 0);
                events.onDropped(r, dropped.incrementAndGet());
            }
        }
        return List.of();
    }

    private void insert(List<PredictionRecord> batch) throws SQLException {
        if (connection == null) {
            connect();
        }
        for (PredictionRecord r : batch) {
            insert.setTimestamp(1, Timestamp.from(r.timestamp()));
            insert.setString(2, r.requestId());
            insert.setString(3, r.function());
            insert.setString(4, r.modelVersion());
            insert.setString(5, r.input());
            insert.setString(6, r.inputHash());
            insert.setString(7, r.output());
            if (r.confidence() == null) {
                insert.setNull(8, Types.DOUBLE);
            } else {
                insert.setDouble(8, r.confidence());
            }
            insert.setDouble(9, r.latencyMs());
            insert.addBatch();
        }
        try {
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            insert.clearBatch();
            throw e;
        }
    }

    /** Waits {@code millis} before a retry, or less when the log is closed meanwhile; false when interrupted. */
    private boolean pause(long millis) {
        synchronized (wake) {
            try {
                if (!closing) {
                    wake.wait(millis);
                }
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private void connect() throws SQLException {
        Properties p = settings.connectionProperties();
        p.setProperty("reWriteBatchedInserts", "true"); // a batch goes as multi-row INSERTs, not one round trip a row
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        p.setProperty("ApplicationName", "bulwark-prediction-log");
        connection = DriverManager.getConnection(settings.url(), p);
        PostgresSchema.migrate(connection);
        connection.setAutoCommit(false);
        insert = connection.prepareStatement(INSERT);
    }

    private void disconnect() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the connection is broken already: nothing of it is needed
        }
        connection = null;
        insert = null;
    }

    private PredictionLogException failure(String what, Exception e) {
        return new PredictionLogException(what + " the PostgreSQL prediction log (" + settings.url() + "): "
                + e.getMessage(), e);
    }

    @Override
    public void close() {
        closing = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            writer.join(CLOSE_TIMEOUT_MILLIS);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(CLOSE_TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
