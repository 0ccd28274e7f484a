package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.predictionlog.PostgresPredictions;
import io.bulwark.models.predictionlog.PostgresSettings;
import io.bulwark.models.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app with {@code bulwark.prediction-log.backend=postgres} against a real PostgreSQL server: predictions, sentiment
 * answers and feedback labels reach the table through the writer thread; a full queue costs a counted drop
 * ({@code bulwark_prediction_log_dropped_total}), never a request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresPredictionLogIT {

    static final int QUEUE = 2;

    @TempDir
    static Path dir;

    static PostgresServer postgres;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        postgres = PostgresServer.start();
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.backend", () -> "postgres");
        r.add("bulwark.prediction-log.postgres.url", postgres::url);
        r.add("bulwark.prediction-log.postgres.username", postgres::user);
        r.add("bulwark.prediction-log.postgres.queue-capacity", () -> QUEUE);
        r.add("bulwark.prediction-log.postgres.batch-size", () -> 1);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @LocalServerPort
    int port;

    HttpClientSupport http() {
        return new HttpClientSupport(port);
    }

    PostgresPredictions table() {
        return new PostgresPredictions(new PostgresSettings(postgres.url(), postgres.user(), "", 1, 1));
    }

    private Reply predict(String id) {
        return http().request("POST", "/predict", Map.of("Content-Type", "application/json", "X-Request-Id", id),
                ClassifierIT.GENTOO);
    }

    @Test
    void should_keep_predictions_sentiment_answers_and_feedback_labels_in_the_table() {
        assertThat(predict("pg-1").status()).isEqualTo(200);
        Reply fb = http().postJson("/feedback", "{\"request_id\": \"pg-1\", \"label\": \"Gentoo\"}");
        assertThat(fb.status()).as(fb.raw()).isEqualTo(200);
        Reply s = http().request("POST", "/sentiment", Map.of("Content-Type", "application/json", "X-Request-Id",
                "pg-s"), "{\"text\": \"I love this penguin\"}");
        assertThat(s.status()).as(s.raw()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(table().ofRequest("pg-1")).extracting(l -> l.record().function() + ":" + l.record().output())
                    .containsExactly("predict:Gentoo", "feedback:Gentoo");
            assertThat(table().ofRequest("pg-s")).extracting(l -> l.record().function())
                    .containsExactly("sentiment");
        });
        assertThat(table().ofRequest("pg-1").getFirst().record().input()).contains("Biscoe");
    }

    @Test
    void should_answer_every_request_and_count_the_drops_when_the_queue_is_full() throws Exception {
        double before = dropped();
        try (Connection locker = postgres.connect()) {
            // the writer blocks on its insert while this transaction holds the table: the queue fills
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE predictions IN ACCESS EXCLUSIVE MODE");
            }
            for (int i = 1; i <= 8; i++) {
                Reply r = predict("full-" + i);
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
            }
            // at most one record in the writer's hands and QUEUE in the queue: the others were dropped
            assertThat(dropped() - before).isGreaterThanOrEqualTo(8 - 1 - QUEUE);
            assertThat(http().get("/metrics/summary").json().path("prediction_log").path("failures").asDouble())
                    .as("a drop is told to the monitor (the prediction-log-failing alert)").isPositive();
            locker.rollback();
        }
        long kept = 8 - Math.round(dropped() - before);
        await().atMost(Duration.ofSeconds(30)).until(() -> countLike("full-%") == kept);
    }

    private double dropped() {
        String metrics = http().get("/actuator/prometheus").raw();
        Matcher m = Pattern.compile("bulwark_prediction_log_dropped_total\\{[^}]*backend=\"postgres\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(m.find()).as("the drop counter is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static long countLike(String pattern) throws Exception {
        try (Connection c = postgres.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM predictions WHERE request_id LIKE '" + pattern
                     + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
