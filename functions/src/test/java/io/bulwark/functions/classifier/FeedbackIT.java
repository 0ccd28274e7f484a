package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feedback through the running local runner: a label sent back under a prediction's request id is joined to it (in
 * the prediction log too), counted in the version's live accuracy ({@code GET /accuracy}), and wrong answers past the
 * margin fire the {@code accuracy-drop} alert. Bad feedback is refused naming its field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.classifier.feedback.min-feedback=5",
        "bulwark.classifier.feedback.window=20",
        "bulwark.classifier.accuracy-alert-margin=0.1",
        "bulwark.monitoring.evaluate-every=100ms",
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedbackIT {

    static final String GENTOO = ClassifierIT.GENTOO;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;

    private Reply predict(String id) {
        Reply r = new HttpClientSupport(port).request("POST", "/predict", Map.of("Content-Type", "application/json",
                "X-Request-Id", id), GENTOO);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private Reply feedback(String body) {
        return new HttpClientSupport(port).postJson("/feedback", body);
    }

    @Test
    @Order(1)
    void should_join_a_label_to_its_prediction_in_live_accuracy_and_the_prediction_log() throws IOException {
        predict("fb-1");

        Reply r = feedback("{\"request_id\": \"fb-1\", \"label\": \"gentoo\"}");

        System.out.println("POST /feedback: " + r.raw());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(r.json().path("label").asString()).isEqualTo("Gentoo");
        assertThat(r.json().path("correct").asBoolean()).isTrue();
        assertThat(r.json().at("/live_accuracy/feedback").asInt()).isEqualTo(1);
        assertThat(r.json().at("/live_accuracy/verdict").asString()).isEqualTo("insufficient_feedback");
        List<String> log = Files.readAllLines(dir.resolve("predictions.jsonl"));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("\"request_id\":\"fb-1\"")
                .contains("\"function\":\"predict\""));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("\"request_id\":\"fb-1\"")
                .contains("\"function\":\"feedback\"").contains("\"output\":\"Gentoo\""));
    }

    @Test
    @Order(2)
    void should_refuse_unknown_ids_labels_outside_the_classes_and_a_second_label_naming_the_field() {
        predict("fb-2");
        assertError(feedback("{\"request_id\": \"never-served\", \"label\": \"Gentoo\"}"), 404, "unknown_request_id",
                "request_id");
        assertError(feedback("{\"request_id\": \"fb-2\", \"label\": \"Emperor\"}"), 400, "invalid_value", "label");
        assertError(feedback("{\"request_id\": \"fb-2\"}"), 400, "missing_field", "label");
        assertError(feedback("{\"request_id\": 7, \"label\": \"Gentoo\"}"), 400, "invalid_type", "request_id");
        assertError(feedback("{\"request_id\": \"fb-2\", \"label\": \"Gentoo\", \"note\": 1}"), 400, "unknown_field",
                "note");
        assertThat(feedback("{\"request_id\": \"fb-2\", \"label\": \"Gentoo\"}").status()).isEqualTo(200);
        assertError(feedback("{\"request_id\": \"fb-2\", \"label\": \"Adelie\"}"), 409, "feedback_exists",
                "request_id");
    }

    @Test
    @Order(3)
    void should_join_a_label_to_a_batch_row_by_its_row_id() {
        Reply batch = new HttpClientSupport(port).request("POST", "/predict_batch", Map.of("Content-Type",
                "application/json", "X-Request-Id", "fb-batch"), "[" + GENTOO + ", {\"island\": \"Mars\"}, " + GENTOO
                + "]");
        assertThat(batch.status()).isEqualTo(200);

        Reply r = feedback("{\"request_id\": \"fb-batch#2\", \"label\": \"Gentoo\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertError(feedback("{\"request_id\": \"fb-batch#1\", \"label\": \"Gentoo\"}"), 404, "unknown_request_id",
                "request_id"); // the bad row served no prediction
    }

    @Test
    @Order(4)
    void should_fire_accuracy_drop_when_live_accuracy_falls_below_held_out_by_the_margin() {
        HttpClientSupport http = new HttpClientSupport(port);
        for (int i = 0; i < 4; i++) {
            predict("wrong-" + i);
            assertThat(feedback("{\"request_id\": \"wrong-" + i + "\", \"label\": \"Adelie\"}").status()).isEqualTo(200);
        }

        Reply accuracy = http.get("/accuracy");
        System.out.println("GET /accuracy: " + accuracy.raw());
        assertThat(accuracy.status()).isEqualTo(200);
        assertThat(accuracy.json().path("serving").asString()).isEqualTo("v1");
        assertThat(accuracy.json().path("verdict").asString()).isEqualTo("below_held_out");
        JsonNode v1 = accuracy.json().at("/versions/0");
        assertThat(v1.path("feedback").asInt()).isEqualTo(7);
        assertThat(v1.path("correct").asInt()).isEqualTo(3);
        assertThat(v1.path("live_accuracy").asDouble()).isEqualTo(0.4286);
        assertThat(v1.path("held_out_accuracy").asDouble()).isEqualTo(1.0);

        Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            List<String> firing = new ArrayList<>();
            http.get("/alerts").json().path("firing").forEach(a -> firing.add(a.path("rule").asString()));
            assertThat(firing).contains("accuracy-drop");
        });
        assertThat(http.get("/metrics/summary").json().at("/classifier/accuracy").asString()).isEqualTo("below_held_out");
        assertThat(http.get("/actuator/prometheus").raw())
                .contains("bulwark_accuracy_live{application=\"bulwark\",function=\"predict\"} 0.4286");
    }

    private static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
    }
}
