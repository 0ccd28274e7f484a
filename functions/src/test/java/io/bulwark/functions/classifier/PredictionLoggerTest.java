package io.bulwark.functions.classifier;

import io.bulwark.models.Answer;
import io.bulwark.models.ModelInput;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionLogException;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionLoggerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final Answer GENTOO = new Answer("Gentoo", null, 1.0, Map.of("Gentoo", 1.0));
    static final ModelInput INPUT = new ModelInput() {
        @Override
        public String canonical() {
            return "gentoo";
        }

        @Override
        public String json() {
            return "{\"island\":\"Biscoe\"}";
        }
    };

    /** A log that keeps records in memory, or fails every append while {@code full}. */
    static final class MemoryLog implements PredictionLog {
        final List<PredictionRecord> kept = new ArrayList<>();
        boolean full;

        @Override
        public void append(PredictionRecord record) {
            if (full) {
                throw new PredictionLogException("disk full", new IOException("No space left on device"));
            }
            kept.add(record);
        }

        @Override
        public void close() {
        }
    }

    final MemoryLog log = new MemoryLog();

    @Test
    void should_answer_when_the_log_fails_and_it_is_not_required() {
        log.full = true;
        PredictionLogger logger = new PredictionLogger(log, false, false, CLOCK);

        assertThatCode(() -> logger.answered("predict", "r1", "v1", INPUT, GENTOO, 1.0)).doesNotThrowAnyException();
        assertThat(log.kept).isEmpty();
    }

    @Test
    void should_refuse_with_503_when_the_log_fails_and_it_is_required() {
        log.full = true;
        PredictionLogger logger = new PredictionLogger(log, false, true, CLOCK);

        assertThatThrownBy(() -> logger.answered("predict", "r1", "v1", INPUT, GENTOO, 1.0))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("prediction_log_unavailable");
                });
    }

    @Test
    void should_log_a_batch_only_when_it_is_answered_with_each_row_under_its_own_request_id() {
        PredictionLogger logger = new PredictionLogger(log, true, false, CLOCK);
        PredictionLogger.Batch batch = logger.batch("predict_batch", "b", "v1");
        batch.add(0, INPUT, GENTOO, 1.0);
        batch.add(2, INPUT, GENTOO, 1.0);
        assertThat(log.kept).as("nothing before the answer").isEmpty();

        batch.answered();

        assertThat(log.kept).extracting(PredictionRecord::requestId).containsExactly("b#0", "b#2");
        assertThat(log.kept).allSatisfy(r -> {
            assertThat(r.input()).as("redacted").isNull();
            assertThat(r.timestamp()).isEqualTo(CLOCK.instant());
        });
    }
}
