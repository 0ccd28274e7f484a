package io.bulwark.models.predictionlog;

import io.bulwark.models.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL prediction log against a real server (Debian's PostgreSQL, started on a free loopback port). */
class PostgresPredictionLogTest {

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

    @BeforeEach
    void emptyTheTable() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS predictions");
            s.execute("DROP TABLE IF EXISTS bulwark_schema_version");
        }
    }

    static PredictionRecord record(int i) {
        return new PredictionRecord(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "r" + i, "predict", "v1",
                "{\"island\":\"Dream\",\"bill_length_mm\":" + i + "}", "h" + i, "Adelie", i % 7 == 0 ? null : 0.9,
                1.5);
    }

    PostgresSettings settings(int queueCapacity, int batchSize) {
        return new PostgresSettings(postgres.url(), postgres.user(), "", queueCapacity, batchSize);
    }

    /** Counts what the log tells. */
    static final class Recorded implements QueuedLogEvents {
        final List<List<PredictionRecord>> batches = Collections.synchronizedList(new ArrayList<>());
        final List<PredictionRecord> dropped = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void onDropped(PredictionRecord record, long droppedSoFar) {
            dropped.add(record);
        }

        @Override
        public void onCommitted(List<PredictionRecord> batch) {
            batches.add(batch);
            committed.addAndGet(batch.size());
        }

        @Override
        public void onWriteFailed(PredictionLogException failure, int pending, long retryInMillis) {
            failures.incrementAndGet();
        }
    }

    private static List<String> requestIds(List<PostgresPredictions.Logged> logged) {
        return logged.stream().map(l -> l.record().requestId()).toList();
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "r" + i).toList();
    }

    @Test
    void should_create_the_schema_at_start_once_however_many_instances_start() throws Exception {
        Recorded events = new Recorded();
        try (PredictionLog a = PredictionLog.postgres(settings(100, 10), events);
             PredictionLog b = PredictionLog.postgres(settings(100, 10), events)) {
            try (Connection c = postgres.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version FROM bulwark_schema_version WHERE component ="
                         + " 'prediction_log' ORDER BY version")) {
                List<Integer> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
                assertThat(versions).containsExactly(1, 2);
            }
            try (Connection c = postgres.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE tablename = 'predictions'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("primary key and the two indexes of version 2").isEqualTo(3);
            }
        }
        assertThat(events.failures).hasValue(0);
    }

    @Test
    void should_write_every_record_in_batches_in_the_order_appended_and_read_them_back() {
        Recorded events = new Recorded();
        PostgresSettings settings = settings(5_000, 50);
        try (PredictionLog log = PredictionLog.postgres(settings, events)) {
            for (int i = 1; i <= 1_000; i++) {
                log.append(record(i));
            }
            await().atMost(Duration.ofSeconds(60)).untilAtomic(events.committed, org.hamcrest.Matchers.is(1_000));
        }

        assertThat(events.batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 50));
        assertThat(events.batches.stream().flatMap(List::stream).map(PredictionRecord::requestId))
                .containsExactlyElementsOf(ids(1, 1_000));
        List<PostgresPredictions.Logged> read = new PostgresPredictions(settings).after(0, 5_000);
        assertThat(requestIds(read)).containsExactlyElementsOf(ids(1, 1_000));
        assertThat(read).extracting(PostgresPredictions.Logged::record)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 1_000).mapToObj(PostgresPredictionLogTest::record)
                        .toList());
        assertThat(read).extracting(PostgresPredictions.Logged::id).isSorted().doesNotHaveDuplicates();
        assertThat(new PostgresPredictions(settings).after(read.get(989).id(), 100)).hasSize(10);
        assertThat(requestIds(new PostgresPredictions(settings).ofRequest("r7"))).containsExactly("r7");
        assertThat(events.dropped).isEmpty();
    }

    @Test
    void should_drop_and_count_records_that_find_the_queue_full_without_blocking_the_caller() throws Exception {
        Recorded events = new Recorded();
        PostgresSettings settings = settings(10, 5);
        try (PredictionLog opened = PredictionLog.postgres(settings, events);
             Connection locker = postgres.connect()) {
            PostgresPredictionLog log = (PostgresPredictionLog) opened;
            // the writer blocks on its insert for as long as this transaction holds the table
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE predictions IN ACCESS EXCLUSIVE MODE");
            }
            log.append(record(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> writerWaitsOnALock() && log.queued() == 0);

            long start = System.nanoTime();
            for (int i = 2; i <= 16; i++) {
                log.append(record(i)); // 2..11 fill the queue of 10; 12..16 find it full
            }
            double tookMs = (System.nanoTime() - start) / 1e6;

            assertThat(events.dropped).extracting(PredictionRecord::requestId).containsExactlyElementsOf(ids(12, 16));
            assertThat(log.dropped()).isEqualTo(5);
            assertThat(tookMs).as("appends never wait for the database").isLessThan(5_000);
            locker.rollback();
            await().atMost(Duration.ofSeconds(30)).untilAtomic(events.committed, org.hamcrest.Matchers.is(11));
        }
        assertThat(requestIds(new PostgresPredictions(settings).after(0, 100))).containsExactlyElementsOf(ids(1, 11));
    }

    private static boolean writerWaitsOnALock() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                     + " 'bulwark-prediction-log' AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Test
    void should_reconnect_and_write_the_batch_again_when_its_connection_is_cut() throws Exception {
        Recorded events = new Recorded();
        PostgresSettings settings = settings(100, 10);
        try (PredictionLog log = PredictionLog.postgres(settings, events)) {
            log.append(record(1));
            await().atMost(Duration.ofSeconds(30)).untilAtomic(events.committed, org.hamcrest.Matchers.is(1));
            try (Connection c = postgres.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         + " WHERE application_name = 'bulwark-prediction-log'")) {
                assertThat(rs.next()).as("the writer's connection was found").isTrue();
            }
            log.append(record(2));
            log.append(record(3));
            await().atMost(Duration.ofSeconds(30)).untilAtomic(events.committed, org.hamcrest.Matchers.is(3));
        }
        assertThat(events.failures.get()).as("the cut connection failed one write").isGreaterThanOrEqualTo(1);
        assertThat(requestIds(new PostgresPredictions(settings).after(0, 100))).containsExactly("r1", "r2", "r3");
    }

    @Test
    void should_drop_only_the_record_the_server_refuses_and_keep_the_others_of_its_batch() throws Exception {
        Recorded events = new Recorded();
        PostgresSettings settings = settings(100, 10);
        PredictionRecord refused = new PredictionRecord(Instant.parse("2026-01-01T00:00:00Z"), "bad", "predict", "v1",
                null, null, "nul \u0000 in text", 0.5, 1.0); // PostgreSQL's text cannot hold NUL
        try (PredictionLog log = PredictionLog.postgres(settings, events)) {
            log.appendAll(List.of(record(1), refused, record(3)));
            await().atMost(Duration.ofSeconds(30)).until(() -> events.committed.get() + events.dropped.size() == 3);
        }
        assertThat(events.dropped).containsExactly(refused);
        assertThat(requestIds(new PostgresPredictions(settings).after(0, 100))).containsExactly("r1", "r3");
    }

    @Test
    void should_start_and_drop_counted_when_the_server_is_unreachable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Recorded events = new Recorded();
        try (PredictionLog log = PredictionLog.postgres(new PostgresSettings("jdbc:postgresql://127.0.0.1:"
                + closedPort + "/postgres", "postgres", "", 2, 1), events)) {
            for (int i = 1; i <= 10; i++) {
                log.append(record(i));
            }
            // one record in the writer's hands at most, two in the queue: the rest are dropped
            assertThat(events.dropped.size()).isGreaterThanOrEqualTo(7);
            await().atMost(Duration.ofSeconds(30)).untilAtomic(events.failures,
                    org.hamcrest.Matchers.greaterThanOrEqualTo(2));
        }
        assertThat(events.committed).hasValue(0);
    }
}
