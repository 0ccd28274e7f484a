package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prediction log on a full disk: {@code /dev/full}, a real device on which every write fails with "No space left
 * on device". Every function still answers; each failed append is counted and shown in the monitor's summary.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictionLogFullDiskIT {

    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> "/dev/full");
    }

    @LocalServerPort
    int port;

    HttpClientSupport http() {
        return new HttpClientSupport(port);
    }

    double failuresCounted() {
        return http().get("/metrics/summary").json().path("prediction_log").path("failures").asDouble();
    }

    @Test
    void should_answer_predict_with_200_and_count_the_failure_when_the_log_cannot_be_written() {
        double before = failuresCounted();

        Reply r = http().postJson("/predict", GENTOO);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(failuresCounted()).isEqualTo(before + 1);
        assertThat(http().get("/actuator/prometheus").raw())
                .containsPattern("bulwark_prediction_log_failures_total\\{[^}]*backend=\"jsonl\"[^}]*} [1-9]");
    }

    @Test
    void should_answer_a_batch_with_200_when_the_log_cannot_be_written() {
        double before = failuresCounted();

        Reply r = http().request("POST", "/predict_batch", Map.of("Content-Type", "application/json"),
                "[" + GENTOO + "," + GENTOO + "]");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("count").asInt()).isEqualTo(2);
        assertThat(failuresCounted()).isEqualTo(before + 1);
    }

    @Test
    void should_answer_sentiment_and_count_the_failure_in_the_same_counter() {
        double before = failuresCounted();

        Reply r = http().postJson("/sentiment", "{\"text\": \"I love this penguin\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(failuresCounted()).isEqualTo(before + 1);
    }
}
