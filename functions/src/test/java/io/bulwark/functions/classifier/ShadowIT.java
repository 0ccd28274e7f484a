package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow mode through the running local runner: with {@code bulwark.classifier.shadow-version=v2}, once v2 exists (a
 * challenger not promoted) every {@code /predict} is also answered by v2, in the prediction log only, under the same
 * request id; the caller still gets the serving version's answer. Before v2 exists nothing is shadowed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.classifier.shadow-version=v2",
        "bulwark.admin-token=shadow-token",
        "bulwark.prediction-log.backend=jsonl",
})
class ShadowIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;

    private Reply predict(String id) {
        return new HttpClientSupport(port).request("POST", "/predict", Map.of("Content-Type", "application/json",
                "X-Request-Id", id), ClassifierIT.GENTOO);
    }

    @Test
    void should_log_the_shadow_versions_answer_beside_the_served_one_once_it_exists() throws IOException {
        assertThat(predict("before-v2").status()).isEqualTo(200);

        Reply trained = new HttpClientSupport(port).request("POST", "/train", Map.of("Content-Type",
                "application/json", "Authorization", "Bearer shadow-token"), "{\"algorithm\": \"cart\"}");
        assertThat(trained.json().path("new_model_version").asString()).isEqualTo("v2");
        assertThat(trained.json().path("promoted").asBoolean()).as(trained.raw()).isFalse();
        Reply served = predict("after-v2");

        assertThat(served.json().path("model_version").asString()).isEqualTo("v1");
        // the shadow runs after the answer, inside the boundary: its line may come a little later
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> Files.readAllLines(
                dir.resolve("predictions.jsonl")).stream().anyMatch(l -> l.contains("\"request_id\":\"after-v2\"")
                && l.contains("predict_shadow")));
        List<String> log = Files.readAllLines(dir.resolve("predictions.jsonl"));
        assertThat(log).noneSatisfy(l -> assertThat(l).contains("\"request_id\":\"before-v2\"")
                .contains("predict_shadow"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("\"request_id\":\"after-v2\"")
                .contains("\"function\":\"predict\"").contains("\"model_version\":\"v1\""));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("\"request_id\":\"after-v2\"")
                .contains("\"function\":\"predict_shadow\"").contains("\"model_version\":\"v2\"")
                .contains("\"output\":\"Gentoo\""));
    }
}
