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
 * A required prediction log ({@code bulwark.prediction-log.required=true}) on a full disk ({@code /dev/full}):
 * a prediction it cannot keep is refused with a plain 503, not answered and not a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictionLogRequiredIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> "/dev/full");
        r.add("bulwark.prediction-log.required", () -> "true");
    }

    @LocalServerPort
    int port;

    @Test
    void should_refuse_predict_with_503_prediction_log_unavailable_when_a_required_log_cannot_be_written() {
        Reply r = new HttpClientSupport(port).postJson("/predict", PredictionLogFullDiskIT.GENTOO);

        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.json().path("error").asString()).isEqualTo("prediction_log_unavailable");
        assertThat(r.json().path("message").asString()).contains("bulwark.prediction-log.required");
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("prediction\":\"Gentoo");
    }

    @Test
    void should_refuse_a_batch_with_503_when_a_required_log_cannot_be_written() {
        Reply r = new HttpClientSupport(port).request("POST", "/predict_batch",
                Map.of("Content-Type", "application/json"), "[" + PredictionLogFullDiskIT.GENTOO + "]");

        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.json().path("error").asString()).isEqualTo("prediction_log_unavailable");
    }
}
