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

    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    static final String ADELIE = "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
            + "\"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"female\"}";

    private static String labelled(String row, String species) {
        return row.replace("}", ", \"species\": \"" + species + "\"}");
    }

    @Test
    void should_evaluate_a_version_on_the_held_out_rows_as_its_training_measured_them() {
        Reply r = post("/evaluate", "{\"version\": \"v1\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README /evaluate held-out: " + r.raw());
        JsonNode v1 = http.get("/models").json().path("versions").get(0);
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(r.json().path("metrics")).isEqualTo(v1.path("metrics"));
        assertThat(r.json().path("calibration").path("ece").asDouble()).isBetween(0.0, 0.2);
        assertThat(r.json().path("classes").toString()).isEqualTo("[\"Adelie\",\"Chinstrap\",\"Gentoo\"]");
    }

    @Test
    void should_evaluate_labelled_rows_given_inline_into_a_known_confusion() {
        // The third row is a Gentoo labelled Adelie: the version answers Gentoo, so the confusion has one Adelie
        // predicted as Gentoo.
        String rows = "[" + labelled(GENTOO, "Gentoo") + ", " + labelled(ADELIE, "Adelie") + ", "
                + labelled(GENTOO.replace("5800", "5700"), "Adelie") + "]";

        Reply r = post("/evaluate", "{\"version\": \"v1\", \"rows\": " + rows + "}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README /evaluate rows: " + r.raw());
        JsonNode m = r.json().path("metrics");
        assertThat(m.path("examples").asInt()).isEqualTo(3);
        assertThat(m.path("accuracy").asDouble()).isEqualTo(0.6667);
        assertThat(m.path("confusion_matrix").path("Adelie").path("Gentoo").asInt()).isEqualTo(1);
        assertThat(m.path("confusion_matrix").path("Adelie").path("Adelie").asInt()).isEqualTo(1);
        assertThat(m.path("confusion_matrix").path("Gentoo").path("Gentoo").asInt()).isEqualTo(1);
        assertThat(m.path("per_class").path("Gentoo").path("precision").asDouble()).isEqualTo(0.5);
        assertThat(m.path("per_class").path("Adelie").path("recall").asDouble()).isEqualTo(0.5);
        assertThat(r.json().path("data").asString()).contains("3 labelled rows");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "label not a class | {\"rows\": [ROW_GENTOO, ROW_EMPEROR]}   | 400 | unknown_label  | rows[1].species",
            "no label          | {\"rows\": [ROW_NONE]}                  | 400 | missing_field  | rows[0].species",
            "bad measurement   | {\"rows\": [ROW_LIGHT]}                 | 400 | out_of_range   | rows[0].body_mass_g",
            "rows not an array | {\"rows\": {}}                          | 400 | invalid_type   | rows",
            "unknown version   | {\"version\": \"v99\"}                  | 404 | unknown_version | version",
            "not a version     | {\"version\": \"latest\"}               | 400 | invalid_value  | version",
            "unknown field     | {\"dataset_id\": \"x\"}                 | 400 | unknown_field  | dataset_id",
    })
    void should_refuse_bad_evaluations_naming_the_field(String name, String body, int status, String error,
                                                        String field) {
        String b = body.replace("ROW_GENTOO", labelled(GENTOO, "Gentoo"))
                .replace("ROW_EMPEROR", labelled(GENTOO, "Emperor"))
                .replace("ROW_NONE", GENTOO)
                .replace("ROW_LIGHT", labelled(GENTOO.replace("5800", "50"), "Gentoo"));

        assertError(post("/evaluate", b), status, error, field);
    }

    @Test
    void should_answer_409_when_the_version_to_evaluate_does_not_load() throws Exception {
        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 2}}");
        String version = trained.json().path("new_model_version").asString();
        java.nio.file.Files.write(dir.resolve("models").resolve(version)
                .resolve(io.bulwark.models.registry.ModelRegistry.MODEL_FILE), new byte[]{42, 42});

        assertError(post("/evaluate", "{\"version\": \"" + version + "\"}"), 409, "unloadable_version", "version");
    }
}
