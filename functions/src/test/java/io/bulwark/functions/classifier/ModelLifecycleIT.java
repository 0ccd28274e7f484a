package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's literal contracts ({@code /train} with {@code epochs} and {@code learning_rate}, {@code /predict_batch}
 * answering a {@code predictions} list) through the running local runner, on a registry in a temporary directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelLifecycleIT {

    static final String TOKEN = "lifecycle-admin-token";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.admin-token", () -> TOKEN);
        r.add("bulwark.prediction-log.backend", () -> "none");
    }

    @LocalServerPort
    int port;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport(port);
    }

    private Reply post(String path, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return http.request("POST", path, h, body);
    }

    private Reply admin(String path, String body) {
        return post(path, body, "Authorization", "Bearer " + TOKEN);
    }

    static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
        assertThat(r.json().path("message").asString()).isNotBlank();
    }

    @Test
    void should_train_seed_001s_body_as_the_default_algorithms_hyperparameters() {
        Reply r = admin("/train", "{\"epochs\": 10, \"learning_rate\": 0.001}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("message").asString()).startsWith("Training completed successfully");
        assertThat(r.json().path("new_model_version").asString()).matches("v[0-9]+");
        assertThat(r.json().path("algorithm").asString()).isEqualTo("logistic_regression");
        assertThat(r.json().path("hyperparameters").path("epochs").asInt()).isEqualTo(10);
        assertThat(r.json().path("hyperparameters").path("learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(r.json().path("hyperparameters").path("minibatch_size").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not the chosen algorithm's | {\"algorithm\": \"cart\", \"epochs\": 3}                     | unknown_field    | epochs",
            "given twice                | {\"epochs\": 3, \"hyperparameters\": {\"epochs\": 4}}      | duplicate_field  | epochs",
            "out of range               | {\"epochs\": 0, \"learning_rate\": 0.001}                  | out_of_range     | epochs",
            "not a number               | {\"epochs\": 10, \"learning_rate\": \"fast\"}              | invalid_type     | learning_rate",
            "nobody's hyperparameter    | {\"momentum\": 0.9}                                        | unknown_field    | momentum",
    })
    void should_refuse_a_top_level_hyperparameter_naming_it_as_written(String name, String body, String error,
                                                                       String field) {
        int versions = http.get("/models").json().path("versions").size();

        assertError(admin("/train", body), 400, error, field);
        assertThat(http.get("/models").json().path("versions").size()).isEqualTo(versions);
    }

    @Test
    void should_answer_a_batch_with_seed_001s_predictions_list_in_order_null_for_a_bad_row() {
        String gentoo = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
                + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
        String adelie = "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
                + "\"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"female\"}";

        Reply r = post("/predict_batch", "[" + gentoo + ", {\"island\": \"Mars\"}, " + adelie + "]",
                "X-Model-Version", "v1");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode predictions = r.json().path("predictions");
        assertThat(predictions.size()).isEqualTo(3);
        assertThat(predictions.get(0).asString()).isEqualTo("Gentoo");
        assertThat(predictions.get(1).isNull()).as(r.raw()).isTrue();
        assertThat(predictions.get(2).asString()).isEqualTo("Adelie");
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(r.json().path("results").get(1).path("error").path("field").asString()).isEqualTo("island");
    }
}
