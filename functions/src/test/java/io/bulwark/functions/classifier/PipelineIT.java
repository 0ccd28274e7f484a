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
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /train} with a preprocessing pipeline, through the running local runner: the version saves its fitted
 * pipeline beside the model and serves through it; a bad pipeline is a 400 naming the field and leaves no version.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PipelineIT {

    static final String TOKEN = "pipeline-admin-token";
    static final String PIPELINE = "{\"steps\": ["
            + "{\"impute\": {\"feature\": \"sex\", \"strategy\": \"most_frequent\"}},"
            + "{\"derive\": {\"name\": \"bill_ratio\", \"expression\": \"bill_length_mm / bill_depth_mm\"}},"
            + "{\"scale\": {\"features\": [\"body_mass_g\", \"bill_ratio\"], \"method\": \"standard\"}},"
            + "{\"one_hot\": {\"feature\": \"island\"}}, {\"one_hot\": {\"feature\": \"sex\"}}]}";
    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800}";
    static final String ADELIE = "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
            + "\"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"female\"}";

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
        Map<String, String> h = new java.util.HashMap<>(Map.of("Content-Type", "application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return http.request("POST", path, h, body);
    }

    private JsonNode saved(String version) throws Exception {
        return JsonMapper.builder().build().readTree(dir.resolve("models").resolve(version).resolve("pipeline.json")
                .toFile());
    }

    @Test
    void should_train_through_a_pipeline_save_it_fitted_with_the_version_and_serve_through_it() throws Exception {
        Reply r = post("/train", "{\"pipeline\": " + PIPELINE + "}", "Authorization", "Bearer " + TOKEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String version = r.json().path("new_model_version").asString();
        assertThat(r.json().path("metrics").path("accuracy").asDouble()).as(r.raw()).isGreaterThan(0.95);
        JsonNode pipeline = saved(version);
        assertThat(pipeline.at("/steps/0/impute/value").asString()).isIn("male", "female");
        assertThat(pipeline.at("/steps/1/derive/expression").asString()).isEqualTo("bill_length_mm / bill_depth_mm");
        assertThat(pipeline.at("/steps/2/scale/fitted/body_mass_g/offset").asDouble()).isBetween(4000.0, 4400.0);
        assertThat(pipeline.at("/steps/2/scale/fitted/body_mass_g/scale").asDouble()).isBetween(600.0, 1000.0);
        assertThat(pipeline.at("/steps/3/one_hot/categories").toString())
                .isEqualTo("[\"Biscoe\",\"Dream\",\"Torgersen\"]");

        Reply gentoo = post("/predict", GENTOO, "X-Model-Version", version);
        Reply adelie = post("/predict", ADELIE, "X-Model-Version", version);
        assertThat(gentoo.json().path("prediction").asString()).as(gentoo.raw()).isEqualTo("Gentoo");
        assertThat(gentoo.json().path("model_version").asString()).isEqualTo(version);
        assertThat(adelie.json().path("prediction").asString()).as(adelie.raw()).isEqualTo("Adelie");

        Reply evaluated = post("/evaluate", "{\"version\": \"" + version + "\"}");
        assertThat(evaluated.status()).as(evaluated.raw()).isEqualTo(200);
        assertThat(evaluated.json().path("metrics").path("accuracy").asDouble())
                .isEqualTo(r.json().path("metrics").path("accuracy").asDouble());
    }

    @Test
    void should_save_the_default_pipeline_when_train_names_none() throws Exception {
        Reply r = post("/train", "{}", "Authorization", "Bearer " + TOKEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode pipeline = saved(r.json().path("new_model_version").asString());
        assertThat(pipeline.path("steps").size()).isEqualTo(2);
        assertThat(pipeline.at("/steps/0/one_hot/feature").asString()).isEqualTo("island");
        assertThat(pipeline.at("/steps/1/one_hot/categories").toString()).isEqualTo("[\"female\",\"male\"]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown method  | {\"steps\": [{\"one_hot\": {\"feature\": \"island\"}}, {\"impute\": {\"feature\": \"sex\", \"strategy\": \"most_frequent\"}}, {\"scale\": {\"features\": [\"body_mass_g\"], \"method\": \"cubic\"}}]} | invalid_value   | pipeline.steps[2].scale.method",
            "unknown feature | {\"steps\": [{\"scale\": {\"features\": [\"wing_span\"], \"method\": \"standard\"}}]}  | unknown_feature | pipeline.steps[0].scale.features[0]",
            "code            | {\"steps\": [{\"derive\": {\"name\": \"x\", \"expression\": \"System.exit(0)\"}}]} | invalid_value   | pipeline.steps[0].derive.expression",
            "not an object   | [1, 2]                                                                            | invalid_type    | pipeline",
    })
    void should_refuse_a_bad_pipeline_naming_the_field_and_save_no_version(String name, String pipeline,
                                                                          String error, String field) {
        int versions = http.get("/models").json().path("versions").size();

        Reply r = post("/train", "{\"pipeline\": " + pipeline + "}", "Authorization", "Bearer " + TOKEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
        assertThat(http.get("/models").json().path("versions").size()).isEqualTo(versions);
        assertThat(Files.exists(dir.resolve("models").resolve("v" + (versions + 1)))).isFalse();
    }
}
