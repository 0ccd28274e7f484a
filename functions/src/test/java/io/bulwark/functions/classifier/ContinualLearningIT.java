package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continual learning end to end through the running local runner: penguins 800 g heavier are predicted and their
 * true species sent back to {@code /feedback}; the retraining policy sees the drift and the new labels, trains a
 * challenger on the training data plus the feedback, and promotes it under the promotion rule; its metadata says why
 * and on what.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.classifier.retrain.enabled=true",
        "bulwark.classifier.retrain.check-every=200ms",
        "bulwark.classifier.retrain.cooldown=0s",
        // one retrain, once all 60 labels are in: the challenger learns from the same rows every run
        "bulwark.classifier.retrain.min-new-labels=60",
})
class ContinualLearningIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
    }

    @LocalServerPort
    int port;

    @Test
    void should_retrain_on_drifted_inputs_with_their_feedback_and_promote_the_challenger() throws IOException {
        HttpClientSupport http = new HttpClientSupport(port);
        List<Labelled<Penguin>> rows = PenguinModelType.bundled().data().rows();
        Random random = new Random(1); // the rows ContinualLearningTest labels
        for (int i = 0; i < 60; i++) {
            Labelled<Penguin> row = rows.get(random.nextInt(rows.size()));
            Reply p = http.request("POST", "/predict", Map.of("Content-Type", "application/json", "X-Request-Id",
                    "heavy-" + i), DriftIT.json(row.input(), 800));
            assertThat(p.status()).isEqualTo(200);
            Reply f = http.postJson("/feedback", "{\"request_id\": \"heavy-" + i + "\", \"label\": \"" + row.label()
                    + "\"}");
            assertThat(f.status()).as(f.raw()).isEqualTo(200);
        }

        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> "v2".equals(http.get("/models").json().path("promoted").asString()));

        String metadata = Files.readString(dir.resolve("models").resolve("v2").resolve("metadata.json"));
        System.out.println("v2 origin: " + metadata.substring(metadata.indexOf("\"origin\"")));
        assertThat(metadata).contains("\"by\" : \"retraining\"").contains("\"trigger\" : \"drift of v1 (")
                .contains("\"champion\" : \"v1\"").contains("\"feedback_rows\" : 60").contains("+ 60 feedback rows");
        assertThat(http.get("/drift").json().path("serving").asString()).isEqualTo("v2");
    }
}
