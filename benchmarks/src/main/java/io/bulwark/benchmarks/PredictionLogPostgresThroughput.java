package io.bulwark.benchmarks;

import io.bulwark.models.predictionlog.PostgresSettings;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.models.predictionlog.QueuedLogEvents;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How many records a second does the PostgreSQL prediction log commit, by batch size? For each batch size, a fresh
 * table, {@code N} records appended as fast as one thread can (the queue holds them all: nothing is dropped), timed
 * from the first append to the last commit; and what one append costs the request thread (it only queues).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bulwark.benchmarks.PredictionLogPostgresThroughput \
 *     jdbc:postgresql://127.0.0.1:55432/postgres postgres 100000 1,10,100,500,2000</pre>
 */
public final class PredictionLogPostgresThroughput {

    private PredictionLogPostgresThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int n = Integer.parseInt(args[2]);
        List<Integer> batches = new ArrayList<>();
        for (String b : args[3].split(",")) {
            batches.add(Integer.parseInt(b.strip()));
        }
        List<PredictionRecord> records = new ArrayList<>(n);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            records.add(new PredictionRecord(t.plusMillis(i), "bench-" + i, "predict", "v1",
                    "{\"island\":\"Biscoe\",\"bill_length_mm\":48.6,\"bill_depth_mm\":16.0,\"flipper_length_mm\":230,"
                            + "\"body_mass_g\":5800,\"sex\":\"male\"}", "8f1c0e3b2a7d4c5e9f60718293a4b5c6", "Gentoo",
                    0.98, 0.05));
        }
        run(url, user, records.subList(0, Math.min(n, 20_000)), 500); // warm-up: JIT, the server's caches
        System.out.println("| batch size | records | append (request thread) | to the last commit | records/s |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int b : batches) {
            double[] r = run(url, user, records, b);
            System.out.printf(Locale.ROOT, "| %d | %,d | %.2f µs | %.2f s | %,.0f |%n", b, n, r[0] * 1e6 / n, r[1],
                    n / r[1]);
        }
    }

    /** Returns the seconds spent appending and the seconds to the last commit. */
    private static double[] run(String url, String user, List<PredictionRecord> records, int batchSize)
            throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS predictions");
            s.execute("DROP TABLE IF EXISTS bulwark_schema_version");
        }
        CountDownLatch done = new CountDownLatch(records.size());
        long[] dropped = {0};
        QueuedLogEvents events = new QueuedLogEvents() {
            @Override
            public void onCommitted(List<PredictionRecord> batch) {
                for (int i = 0; i < batch.size(); i++) {
                    done.countDown();
                }
            }

            @Override
            public void onDropped(PredictionRecord record, long droppedSoFar) {
                dropped[0] = droppedSoFar;
            }
        };
        try (PredictionLog log = PredictionLog.postgres(new PostgresSettings(url, user, "", records.size(),
                batchSize), events)) {
            long start = System.nanoTime();
            for (PredictionRecord r : records) {
                log.append(r);
            }
            long appended = System.nanoTime();
            if (!done.await(10, TimeUnit.MINUTES) || dropped[0] > 0) {
                throw new IllegalStateException("not all committed: " + done.getCount() + " left, " + dropped[0]
                        + " dropped");
            }
            long committed = System.nanoTime();
            return new double[]{(appended - start) / 1e9, (committed - start) / 1e9};
        }
    }
}
