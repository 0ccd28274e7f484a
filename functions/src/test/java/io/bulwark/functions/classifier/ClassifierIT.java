package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.registry.ModelRegistry;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classifier's HTTP contract through the running local runner, on a registry in a temporary directory
 * (v1 is trained into it at start-up).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClassifierIT {

    static final String TOKEN = "test-admin-token";
    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    static final String CSV_HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n";
    static final String GENTOO_XML = "<penguin><island>biscoe</island><bill_length_mm>48.6</bill_length_mm>"
            + "<bill_depth_mm>16.0</bill_depth_mm><flipper_length_mm>230</flipper_length_mm>"
            + "<body_mass_g>5800</body_mass_g><sex>MALE</sex></penguin>";
    /** v1 gives Chinstrap 0.84 for this one: below the 0.9 threshold set here. */
    static final String AMBIGUOUS = "{\"island\": \"Dream\", \"bill_length_mm\": 44, \"bill_depth_mm\": 18, "
            + "\"flipper_length_mm\": 195, \"body_mass_g\": 3700}";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.classifier.confidence-threshold", () -> "0.9");
        r.add("bulwark.admin-token", () -> TOKEN);
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport(port);
    }

    private Reply post(String path, String contentType, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return http.request("POST", path, h, body);
    }

    private Reply admin(String path, String body) {
        return post(path, "application/json", body, "Authorization", "Bearer " + TOKEN);
    }

    private static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).isEqualTo(field);
        assertThat(r.json().path("message").asString()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "json                 | application/json",
            "json, detected       | ",
            "json, as text/plain  | text/plain",
    })
    void should_predict_gentoo_from_json(String name, String contentType) {
        Reply r = post("/predict", contentType, GENTOO, "X-Model-Version", "v1");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(r.json().path("confidence").asDouble()).isGreaterThan(0.9);
        assertThat(r.json().path("probabilities").path("Gentoo").asDouble()).isGreaterThan(0.9);
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"text/csv", "application/octet-stream", "''"})
    void should_predict_from_csv_declared_or_detected(String contentType) {
        Reply r = post("/predict", contentType.isEmpty() ? null : contentType,
                CSV_HEADER + "Biscoe,48.6,16.0,230,5800,male\n");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"application/xml", "text/xml", "''"})
    void should_predict_from_xml_declared_or_detected(String contentType) {
        Reply r = post("/predict", contentType.isEmpty() ? null : contentType, GENTOO_XML);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("prediction").asString()).isEqualTo("Gentoo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing island   | {\"bill_length_mm\": 40, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": 3500} | missing_field | island",
            "unknown island   | {\"island\": \"Atlantis\", \"bill_length_mm\": 40, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": 3500} | invalid_value | island",
            "string mass      | {\"island\": \"Dream\", \"bill_length_mm\": 40, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": \"heavy\"} | invalid_type | body_mass_g",
            "light penguin    | {\"island\": \"Dream\", \"bill_length_mm\": 40, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": 50} | out_of_range | body_mass_g",
            "bill too long    | {\"island\": \"Dream\", \"bill_length_mm\": 400, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": 3500} | out_of_range | bill_length_mm",
            "bad sex          | {\"island\": \"Dream\", \"bill_length_mm\": 40, \"bill_depth_mm\": 18, \"flipper_length_mm\": 190, \"body_mass_g\": 3500, \"sex\": \"?\"} | invalid_value | sex",
            "malformed json   | {\"island\": | malformed_json | body",
            "array to predict | [] | invalid_type | body",
    })
    void should_answer_400_naming_the_field(String name, String body, String error, String field) {
        assertError(post("/predict", "application/json", body), 400, error, field);
    }

    @Test
    void should_name_the_field_for_csv_input_too() {
        Reply r = post("/predict", "text/csv", CSV_HEADER + "Dream,40,18,190,50,female\n");

        assertError(r, 400, "out_of_range", "body_mass_g");
        assertThat(r.json().path("message").asString()).contains("1000").contains("10000");
    }

    @Test
    void should_answer_415_for_a_content_type_naming_another_format() {
        assertError(post("/predict", "image/png", GENTOO), 415, "unsupported_media_type", "Content-Type");
    }

    @Test
    void should_answer_uncertain_with_the_best_guess_below_the_threshold() {
        Reply r = post("/predict", "application/json", AMBIGUOUS, "X-Model-Version", "v1");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("prediction").asString()).isEqualTo("uncertain");
        assertThat(r.json().path("best_guess").asString()).isEqualTo("Chinstrap");
        assertThat(r.json().path("confidence").asDouble()).isLessThan(0.9).isGreaterThan(0.5);
    }

    @Test
    void should_serve_a_repeated_input_from_the_cache() {
        String body = GENTOO.replace("5800", "5750");
        Reply first = post("/predict", "application/json", body, "X-Model-Version", "v1");
        Reply second = post("/predict", "application/json", body.replace("Biscoe", "BISCOE"), "X-Model-Version", "v1");

        assertThat(first.json().path("cached").asBoolean()).isFalse();
        assertThat(second.json().path("cached").asBoolean()).isTrue();
        assertThat(second.json().path("probabilities")).isEqualTo(first.json().path("probabilities"));
    }

    @Test
    void should_predict_every_good_row_and_give_bad_rows_their_own_error() {
        String batch = "[" + GENTOO + ", {\"island\": \"Mars\"}, 42, " + AMBIGUOUS + "]";

        Reply r = post("/predict_batch", "application/json", batch, "X-Model-Version", "v1");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results.size()).isEqualTo(4);
        assertThat(results.get(0).path("index").asInt()).isZero();
        assertThat(results.get(0).path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(results.get(1).path("error").path("field").asString()).isEqualTo("island");
        assertThat(results.get(2).path("error").path("error").asString()).isEqualTo("invalid_type");
        assertThat(results.get(3).path("prediction").asString()).isEqualTo("uncertain");
        assertThat(r.json().path("count").asInt()).isEqualTo(4);
        assertThat(r.json().path("failed").asInt()).isEqualTo(2);
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
    }

    @Test
    void should_predict_a_csv_batch_with_a_short_row() {
        String csv = CSV_HEADER + "Biscoe,48.6,16.0,230,5800,male\nDream,44\nTorgersen,39.1,18.7,181,3750,female\n";

        Reply r = post("/predict_batch", "text/csv", csv);

        JsonNode results = r.json().path("results");
        assertThat(results.size()).as(r.raw()).isEqualTo(3);
        assertThat(results.get(0).path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(results.get(1).path("error").path("error").asString()).isEqualTo("wrong_column_count");
        assertThat(results.get(2).path("prediction").asString()).isEqualTo("Adelie");
    }

    @Test
    void should_predict_an_xml_batch() {
        Reply r = post("/predict_batch", "application/xml", "<penguins>" + GENTOO_XML + GENTOO_XML
                .replace("biscoe", "Torgersen").replace("48.6", "39.1").replace("16.0", "18.7").replace(">230<", ">181<")
                .replace("5800", "3750") + "</penguins>");

        JsonNode results = r.json().path("results");
        assertThat(results.size()).as(r.raw()).isEqualTo(2);
        assertThat(results.get(0).path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(results.get(1).path("prediction").asString()).isEqualTo("Adelie");
    }

    @Test
    void should_answer_every_row_of_a_10000_row_batch_in_order() {
        StringBuilder csv = new StringBuilder(CSV_HEADER);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            csv.append(List.of("Biscoe", "Dream", "Torgersen").get(random.nextInt(3))).append(',')
                    .append(35 + random.nextInt(200) / 10.0).append(',').append(14 + random.nextInt(70) / 10.0)
                    .append(',').append(175 + random.nextInt(55)).append(',').append(2800 + random.nextInt(3400))
                    .append(",female\n");
        }

        Reply r = post("/predict_batch", "text/csv", csv.toString());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("count").asInt()).isEqualTo(10_000);
        assertThat(r.json().path("failed").asInt()).isZero();
        JsonNode results = r.json().path("results");
        assertThat(results.size()).isEqualTo(10_000);
        assertThat(results.get(9_999).path("index").asInt()).isEqualTo(9_999);
    }

    @Test
    void should_answer_404_for_an_unknown_version() {
        Reply r = post("/predict", "application/json", GENTOO, "X-Model-Version", "v99");

        assertError(r, 404, "unknown_version", "X-Model-Version");
        assertThat(r.json().path("message").asString()).contains("v99").contains("v1");
        assertError(post("/predict_batch", "application/json", "[" + GENTOO + "]", "X-Model-Version", "v99"), 404,
                "unknown_version", "X-Model-Version");
    }

    @Test
    void should_fall_back_to_the_promoted_version_when_the_asked_one_does_not_load() throws Exception {
        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 2}}");
        String version = trained.json().path("new_model_version").asString();
        assertThat(trained.json().path("promoted").asBoolean()).as(trained.raw()).isFalse();
        Files.write(dir.resolve("models").resolve(version).resolve(ModelRegistry.MODEL_FILE), new byte[]{42, 42});

        Reply r = post("/predict", "application/json", GENTOO, "X-Model-Version", version);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String promoted = http.get("/models").json().path("promoted").asString();
        assertThat(r.json().path("model_version").asString()).isEqualTo(promoted).isNotEqualTo(version);
        assertThat(r.json().path("fallback").asString()).contains(version).contains("could not be loaded");
    }

    @Test
    void should_refuse_to_promote_a_version_that_does_not_load() throws Exception {
        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 3}}");
        String version = trained.json().path("new_model_version").asString();
        Files.write(dir.resolve("models").resolve(version).resolve(ModelRegistry.MODEL_FILE), new byte[]{42, 42});
        String before = http.get("/models").json().path("promoted").asString();

        Reply promoted = admin("/promote", "{\"version\": \"" + version + "\"}");

        assertError(promoted, 409, "unloadable_version", "version");
        assertThat(promoted.json().path("message").asString()).contains(version).contains("not promoted");
        assertThat(http.get("/models").json().path("promoted").asString()).isEqualTo(before);
    }

    @Test
    void should_train_a_new_version_and_promote_it_only_when_not_worse() {
        Reply worse = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 1}}");
        assertThat(worse.status()).as(worse.raw()).isEqualTo(200);
        assertThat(worse.json().path("new_model_version").asString()).matches("v[0-9]+");
        assertThat(worse.json().path("metrics").path("accuracy").asDouble()).isLessThan(0.9);
        assertThat(worse.json().path("promoted").asBoolean()).isFalse();
        assertThat(worse.json().path("message").asString()).contains("not promoted");

        Reply same = admin("/train", "{\"algorithm\": \"logistic_regression\"}");
        assertThat(same.json().path("promoted").asBoolean()).as(same.raw()).isTrue();
        assertThat(same.json().path("metrics").path("macro_f1").asDouble())
                .isGreaterThanOrEqualTo(same.json().path("promotion").path("promoted_value").asDouble());
        assertThat(http.get("/models").json().path("promoted").asString())
                .isEqualTo(same.json().path("new_model_version").asString());
    }

    @Test
    void should_promote_and_roll_back() {
        String before = http.get("/models").json().path("promoted").asString();
        String fresh = admin("/train", "{\"algorithm\": \"cart\", \"seed\": 5}").json().path("new_model_version").asString();

        Reply promoted = admin("/promote", "{\"version\": \"" + fresh + "\"}");
        assertThat(promoted.status()).as(promoted.raw()).isEqualTo(200);
        assertThat(http.get("/models").json().path("promoted").asString()).isEqualTo(fresh);
        assertThat(post("/predict", "application/json", GENTOO).json().path("model_version").asString()).isEqualTo(fresh);

        Reply rolled = admin("/rollback", "");
        assertThat(rolled.status()).as(rolled.raw()).isEqualTo(200);
        assertThat(rolled.json().path("promoted").asString()).isEqualTo(before);
        assertThat(post("/predict", "application/json", GENTOO).json().path("model_version").asString()).isEqualTo(before);
    }

    @Test
    void should_answer_404_when_promoting_an_unknown_version() {
        assertError(admin("/promote", "{\"version\": \"v404\"}"), 404, "unknown_version", "version");
    }

    @Test
    void should_refuse_admin_functions_without_the_right_token_and_change_nothing() {
        int versions = http.get("/models").json().path("versions").size();
        String promoted = http.get("/models").json().path("promoted").asString();

        assertError(post("/train", "application/json", "{}"), 401, "unauthorized", "Authorization");
        assertError(post("/train", "application/json", "{}", "Authorization", "Bearer wrong"), 401, "unauthorized",
                "Authorization");
        assertError(post("/promote", "application/json", "{\"version\": \"v1\"}", "Authorization", "Basic abc"), 401,
                "unauthorized", "Authorization");
        assertError(post("/rollback", "application/json", "", "Authorization", "Bearer " + TOKEN + "x"), 401,
                "unauthorized", "Authorization");

        assertThat(http.get("/models").json().path("versions").size()).isEqualTo(versions);
        assertThat(http.get("/models").json().path("promoted").asString()).isEqualTo(promoted);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/train    | {\"algorithm\": \"cart\", \"force\": 1} | unknown_field  | force",
            "/promote  | {\"version\": \"v1\", \"force\": true}  | unknown_field  | force",
            "/promote  | \"v1\"                                  | invalid_type   | body",
            "/rollback | {\"to\": \"v1\"}                           | unknown_field  | to",
            "/rollback | not json                                | malformed_json | body",
            "/rollback | []                                      | invalid_type   | body",
    })
    void should_hold_every_admin_function_to_one_body_rule_and_change_nothing_when_refused(String path, String body,
                                                                                        String error, String field) {
        String before = http.get("/models").raw();

        Reply r = admin(path, body);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
        assertThat(http.get("/models").raw()).isEqualTo(before);
    }

    @Test
    void should_refuse_a_control_character_as_a_training_body_rather_than_train_on_defaults() {
        int versions = http.get("/models").json().path("versions").size();

        Reply r = admin("/train", "\u0001");

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.json().path("error").asString()).isEqualTo("malformed_json");
        assertThat(http.get("/models").json().path("versions").size()).isEqualTo(versions);
    }

    @Test
    void should_read_a_white_space_body_as_no_options_on_promote_too() {
        Reply r = admin("/promote", " \r\n\t");

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.json().path("error").asString()).isEqualTo("missing_field");
        assertThat(r.json().path("field").asString()).isEqualTo("version");
    }

    @Test
    void should_reject_unknown_algorithms_and_hyperparameters() {
        assertError(admin("/train", "{\"algorithm\": \"svm\"}"), 400, "invalid_value", "algorithm");
        assertError(admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"epochs\": 3}}"), 400,
                "unknown_hyperparameter", "hyperparameters.epochs");
        assertError(admin("/train", "{\"hyperparameters\": {\"epochs\": 0}}"), 400, "out_of_range",
                "hyperparameters.epochs");
    }

    @Test
    void should_list_v1_with_at_least_097_held_out_accuracy() {
        Reply r = http.get("/models");

        assertThat(r.status()).isEqualTo(200);
        JsonNode v1 = r.json().path("versions").get(0);
        assertThat(v1.path("version").asString()).isEqualTo("v1");
        assertThat(v1.path("algorithm").asString()).isEqualTo("logistic_regression");
        assertThat(v1.path("metrics").path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.97);
        assertThat(v1.path("metrics").path("examples").asInt()).isEqualTo(69);
        assertThat(v1.path("metrics").path("confusion_matrix").path("Gentoo").path("Gentoo").asInt()).isEqualTo(25);
    }

    @Test
    void should_log_each_prediction_with_its_request_id() throws Exception {
        post("/predict", "application/json", GENTOO, "X-Request-Id", "log-check-1");

        List<String> lines = Files.readAllLines(dir.resolve("predictions.jsonl"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"request_id\":\"log-check-1\"")
                .contains("\"function\":\"predict\"").contains("\"output\":\"Gentoo\"").contains("\"latency_ms\""));
    }

    @Test
    void should_log_each_sentiment_answer_in_the_same_log() throws Exception {
        post("/sentiment", "application/json", "{\"text\": \"I love this penguin\"}", "X-Request-Id", "log-check-2");

        List<String> lines = Files.readAllLines(dir.resolve("predictions.jsonl"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"request_id\":\"log-check-2\"")
                .contains("\"function\":\"sentiment\"").contains("\"model_version\":\"local-logreg-v2\"")
                .contains("\"output\":\"positive\"").contains("I love this penguin").contains("\"input_hash\":\""));
    }
}
