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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tuning through the running local runner: {@code POST /tune} answers 202 with a job id at once, {@code GET /jobs?id=}
 * shows progress and then the trials and the version trained with the best configuration (saved with the trial table
 * and the run in its metadata); {@code POST /jobs_cancel} stops a run; a bad search space or budget is refused
 * naming the field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TuneIT {

    static final String TOKEN = "tune-admin-token";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.admin-token", () -> TOKEN);
    }

    @LocalServerPort
    int port;

    private Reply tune(String body) {
        return new HttpClientSupport(port).request("POST", "/tune", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + TOKEN), body);
    }

    private JsonNode awaitState(String id, String state) {
        HttpClientSupport http = new HttpClientSupport(port);
        Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                .until(() -> http.get("/jobs?id=" + id).json().path("state").asString().equals(state));
        return http.get("/jobs?id=" + id).json();
    }

    @Test
    @Order(1)
    void should_refuse_a_bad_search_space_or_budget_naming_the_field() {
        assertError(new HttpClientSupport(port).postJson("/tune", "{}"), 401, "unauthorized", "Authorization");
        assertError(tune("{\"algorithm\": \"cart\"}"), 400, "missing_field", "search_space");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": \"deep\"}"), 400, "invalid_type", "search_space");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"depth\": [1, 2]}}"), 400,
                "unknown_hyperparameter", "search_space.depth");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [2, 99]}}"), 400, "out_of_range",
                "search_space.max_depth");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": {\"min\": 8, \"max\": 2}}}"), 400,
                "invalid_value", "search_space.max_depth");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": \"deep\"}}"), 400,
                "invalid_type", "search_space.max_depth");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [2]}, \"trials\": 0}"), 400,
                "out_of_range", "trials");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [2]}, \"max_seconds\": 99999}"),
                400, "out_of_range", "max_seconds");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [2]}, \"folds\": 1}"), 400,
                "out_of_range", "folds");
        assertError(tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [2]}, \"strategy\": \"bayes\"}"),
                400, "invalid_value", "strategy");
        assertError(new HttpClientSupport(port).get("/jobs?id=job-nope"), 404, "unknown_job", "id");
    }

    @Test
    @Order(2)
    void should_accept_then_report_the_trials_and_the_version_trained_with_the_best() throws IOException {
        Reply accepted = tune("{\"algorithm\": \"cart\", \"search_space\": {\"max_depth\": [1, 2, 4],"
                + " \"min_child_weight\": {\"min\": 1, \"max\": 20, \"log\": true, \"steps\": 3}}, \"strategy\": \"grid\","
                + " \"folds\": 3, \"seed\": 7}");
        System.out.println("POST /tune: " + accepted.status() + " " + accepted.raw());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String id = accepted.json().path("job_id").asString();
        assertThat(accepted.json().path("status_url").asString()).isEqualTo("/jobs?id=" + id);
        assertThat(accepted.json().path("planned_trials").asInt()).isEqualTo(10);

        JsonNode job = awaitState(id, "succeeded");
        System.out.println("GET /jobs?id=" + id + ": " + job);
        assertThat(job.at("/progress/done").asInt()).isEqualTo(10);
        JsonNode tuning = job.at("/result/tuning");
        assertThat(tuning.path("trials")).hasSize(10);
        assertThat(tuning.at("/defaults/hyperparameters/max_depth").asInt()).isEqualTo(6);
        assertThat(tuning.at("/best/mean").asDouble()).isGreaterThanOrEqualTo(tuning.at("/defaults/mean").asDouble());
        String version = job.at("/result/trained/new_model_version").asString();
        assertThat(version).isEqualTo("v2");
        assertThat(job.at("/result/trained/hyperparameters")).isEqualTo(tuning.at("/best/hyperparameters"));
        String metadata = Files.readString(dir.resolve("models").resolve(version).resolve("metadata.json"));
        assertThat(metadata).contains("\"by\" : \"tuning\"").contains("\"run\" : \"" + id + "\"")
                .contains("\"trials\" : [");
        assertThat(new HttpClientSupport(port).get("/jobs").json().at("/jobs/0/id").asString()).isEqualTo(id);
    }

    @Test
    @Order(3)
    void should_stop_a_run_when_cancelled_and_train_nothing() {
        Reply accepted = tune("{\"algorithm\": \"random_forest\", \"search_space\": {\"trees\": {\"min\": 50,"
                + " \"max\": 300}}, \"strategy\": \"random\", \"trials\": 200, \"folds\": 10, \"seed\": 3}");
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("job_id").asString();
        awaitState(id, "running");
        Reply admin = new HttpClientSupport(port).request("POST", "/jobs_cancel", Map.of("Content-Type",
                "application/json", "Authorization", "Bearer " + TOKEN), "{\"id\": \"" + id + "\"}");
        assertThat(admin.status()).as(admin.raw()).isEqualTo(200);

        JsonNode job = awaitState(id, "cancelled");
        assertThat(job.at("/result/tuning/stopped").asString()).isEqualTo("cancelled");
        assertThat(job.at("/result/trained").isNull()).isTrue();
        assertThat(job.at("/result/tuning/trials").size()).isLessThan(201);
        assertError(new HttpClientSupport(port).request("POST", "/jobs_cancel", Map.of("Content-Type",
                "application/json", "Authorization", "Bearer " + TOKEN), "{\"id\": \"" + id + "\"}"), 409,
                "job_finished", "id");
        assertThat(Files.exists(dir.resolve("models").resolve("v3"))).isFalse();
    }

    private static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
    }
}
