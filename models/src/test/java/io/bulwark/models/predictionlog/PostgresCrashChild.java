package io.bulwark.models.predictionlog;

import java.time.Instant;
import java.util.List;

/**
 * The process {@link PostgresPredictionLogCrashTest} kills with SIGKILL: appends records {@code c1, c2, ...} to the
 * PostgreSQL log at {@code args[0]} for ever and says {@code ACKED n} each time a batch commits ({@code c1..cn} are
 * then acknowledged: records are committed in the order appended, and the queue is large enough that none drops —
 * a drop says {@code DROPPED} and fails the test).
 */
public final class PostgresCrashChild {

    public static void main(String[] args) throws Exception {
        int[] acked = {0};
        QueuedLogEvents events = new QueuedLogEvents() {
            @Override
            public void onCommitted(List<PredictionRecord> batch) {
                acked[0] += batch.size(); // only the writer thread calls it
                System.out.println("ACKED " + acked[0] + " " + batch.getLast().requestId());
                System.out.flush();
            }

            @Override
            public void onDropped(PredictionRecord record, long droppedSoFar) {
                System.out.println("DROPPED " + record.requestId());
                System.out.flush();
            }
        };
        PredictionLog log = PredictionLog.postgres(new PostgresSettings(args[0], "postgres", "", 1_000_000, 200),
                events);
        for (int i = 1; ; i++) {
            log.append(new PredictionRecord(Instant.now(), "c" + i, "predict", "v1",
                    "{\"island\":\"Dream\",\"bill_length_mm\":" + i + "}", "h" + i, "Adelie", 0.9, 0.1));
            if (i % 100 == 0) {
                Thread.sleep(1); // a busy instance, not a flood: the queue stays far from full
            }
        }
    }
}
