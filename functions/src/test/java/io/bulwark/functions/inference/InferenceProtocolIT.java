package io.bulwark.functions.inference;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol on the local runner over real HTTP: metadata, health, inference answering as
 * {@code /predict} answers, batches, the version in the path or the header, the prediction log, and each bad request
 * refused with the protocol's error body and a 4xx naming what is wrong.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InferenceProtocolIT {

    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    /** Three penguins, one tensor per field, in a mix of shapes, datatypes and layouts the protocol allows. */
    static final String THREE = "{\"id\": \"three\", \"inputs\": ["
            + "{\"name\": \"island\", \"shape\": [3], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\", \"Dream\", \"Torgersen\"]},"
            + "{\"name\": \"bill_length_mm\", \"shape\": [3, 1], \"datatype\": \"FP32\", \"data\": [[48.6], [46.5], [39.1]]},"
            + "{\"name\": \"bill_depth_mm\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [16.0, 17.9, 18.7]},"
            + "{\"name\": \"flipper_length_mm\", \"shape\": [3], \"datatype\": \"INT16\", \"data\": [230, 192, 181]},"
            + "{\"name\": \"body_mass_g\", \"shape\": [3, 1], \"datatype\": \"FP32\", \"data\": [5800, 3500, 3750]},"
            + "{\"name\": \"sex\", \"shape\": [3], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\", \"male\"]}]}";

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.digits.registry", () -> dir.resolve("digits").toString());
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;

    HttpClientSupport http() {
        return new HttpClientSupport(port);
    }

    /** One penguin of the JSON object {@code row} as the protocol's tensors, one per field, one row each. */
    static String tensors(JsonNode row) {
        List<String> inputs = new ArrayList<>();
        row.properties().forEach(e -> inputs.add("{\"name\": \"" + e.getKey() + "\", \"shape\": [1], \"datatype\": \""
                + (e.getValue().isString() ? "BYTES" : "FP32") + "\", \"data\": [" + e.getValue() + "]}"));
        return "{\"inputs\": [" + String.join(", ", inputs) + "]}";
    }

    @Test
    void should_describe_the_server_and_the_penguin_model() {
        Reply server = http().get("/v2");
        Reply live = http().get("/v2/health/live");
        Reply ready = http().get("/v2/health/ready");
        Reply modelReady = http().get("/v2/models/penguins/ready");
        Reply metadata = http().get("/v2/models/penguins");
        Reply v1 = http().get("/v2/models/penguins/versions/v1");

        assertThat(server.json().path("name").asString()).isEqualTo("bulwark");
        assertThat(server.json().path("extensions").isArray()).isTrue();
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("live").asBoolean()).isTrue();
        assertThat(ready.status()).isEqualTo(200);
        assertThat(modelReady.json().path("ready").asBoolean()).isTrue();
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().path("versions").toString()).isEqualTo("[\"v1\"]");
        List<String> inputs = new ArrayList<>();
        metadata.json().path("inputs").forEach(i -> inputs.add(i.path("name").asString() + ":"
                + i.path("datatype").asString() + i.path("shape")));
        assertThat(inputs).containsExactly("island:BYTES[-1]", "bill_length_mm:FP32[-1]", "bill_depth_mm:FP32[-1]",
                "flipper_length_mm:FP32[-1]", "body_mass_g:FP32[-1]", "sex:BYTES[-1]");
        assertThat(metadata.json().path("outputs").get(1).path("shape").toString()).isEqualTo("[-1,3]");
        assertThat(v1.json()).isEqualTo(metadata.json());
    }

    @Test
    void should_answer_an_inference_as_predict_answers_the_same_penguins() {
        String[] penguins = {GENTOO,
                "{\"island\": \"Dream\", \"bill_length_mm\": 46.5, \"bill_depth_mm\": 17.9, \"flipper_length_mm\": 192,"
                        + " \"body_mass_g\": 3500, \"sex\": \"female\"}",
                "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7,"
                        + " \"flipper_length_mm\": 181, \"body_mass_g\": 3750}"};
        for (String penguin : penguins) {
            Reply predict = http().postJson("/predict", penguin);
            Reply infer = http().postJson("/v2/models/penguins/infer", tensors(JSON.readTree(penguin)));

            assertThat(infer.status()).as(infer.raw()).isEqualTo(200);
            JsonNode outputs = infer.json().path("outputs");
            assertThat(outputs.get(0).path("name").asString()).isEqualTo("label");
            assertThat(outputs.get(0).path("data").get(0).asString()).as(penguin)
                    .isEqualTo(predict.json().path("prediction").asString());
            String[] labels = outputs.get(1).path("parameters").path("labels").asString().split(",");
            assertThat(labels).containsExactly("Adelie", "Chinstrap", "Gentoo");
            for (int i = 0; i < labels.length; i++) {
                assertThat(outputs.get(1).path("data").get(i).asDouble()).as(penguin + " " + labels[i])
                        .isEqualTo(predict.json().path("probabilities").path(labels[i]).asDouble());
            }
            assertThat(infer.json().path("model_version").asString())
                    .isEqualTo(predict.json().path("model_version").asString());
        }
    }

    @Test
    void should_serve_the_digit_model_as_digits_answering_as_the_digits_function_does() {
        // Two digits: a vertical stroke, and a ring; 28 x 28 grey levels 0-255.
        List<String> images = new ArrayList<>();
        for (int shape = 0; shape < 2; shape++) {
            List<String> levels = new ArrayList<>();
            for (int p = 0; p < 784; p++) {
                int y = p / 28;
                int x = p % 28;
                double r = Math.hypot(x - 13.5, y - 13.5);
                boolean ink = shape == 0 ? x >= 13 && x <= 15 && y >= 4 && y <= 23 : r >= 6 && r <= 9;
                levels.add(ink ? "255" : "0");
            }
            images.add(String.join(",", levels));
        }
        Reply metadata = http().get("/v2/models/digits");
        Reply infer = http().postJson("/v2/models/digits/infer", "{\"inputs\": [{\"name\": \"pixels\", \"shape\": [2, 28, 28],"
                + " \"datatype\": \"UINT8\", \"data\": [" + images.get(0) + "," + images.get(1) + "]}]}");

        assertThat(metadata.status()).as(metadata.raw()).isEqualTo(200);
        assertThat(metadata.json().path("platform").asString()).isEqualTo("onnxruntime");
        assertThat(metadata.json().path("inputs").get(0).path("name").asString()).isEqualTo("pixels");
        assertThat(infer.status()).as(infer.raw()).isEqualTo(200);
        JsonNode outputs = infer.json().path("outputs");
        assertThat(outputs.get(1).path("shape").toString()).isEqualTo("[2,10]");
        for (int i = 0; i < 2; i++) {
            Reply digits = http().postJson("/digits", "{\"pixels\": [" + images.get(i) + "]}");
            String answered = digits.json().path("digit").isNull() ? "uncertain"
                    : digits.json().path("digit").asString();
            assertThat(outputs.get(0).path("data").get(i).asString()).as(digits.raw()).isEqualTo(answered);
            for (int d = 0; d < 10; d++) {
                assertThat(outputs.get(1).path("data").get(i * 10 + d).asDouble()).as("image " + i + ", digit " + d)
                        .isEqualTo(digits.json().path("probabilities").path(String.valueOf(d)).asDouble());
            }
        }
        assertThat(http().get("/v2/models/digits/ready").status()).isEqualTo(200);
        Reply wrongShape = http().postJson("/v2/models/digits/infer", "{\"inputs\": [{\"name\": \"pixels\","
                + " \"shape\": [1, 3], \"datatype\": \"UINT8\", \"data\": [1, 2, 3]}]}");
        assertThat(wrongShape.status()).as(wrongShape.raw()).isEqualTo(400);
        assertThat(wrongShape.json().path("error").asString()).contains("pixels");
    }

    @Test
    void should_answer_a_batch_in_order_with_the_request_id_and_log_each_row() throws IOException {
        Reply r = http().request("POST", "/v2/models/penguins/versions/v1/infer/", Map.of(), THREE);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("id").asString()).isEqualTo("three");
        assertThat(r.json().path("outputs").get(0).path("shape").toString()).isEqualTo("[3]");
        assertThat(r.json().path("outputs").get(0).path("data").toString())
                .isEqualTo("[\"Gentoo\",\"Chinstrap\",\"Adelie\"]");
        assertThat(r.json().path("outputs").get(1).path("shape").toString()).isEqualTo("[3,3]");
        assertThat(r.json().path("outputs").get(1).path("data").size()).isEqualTo(9);
        List<String> logged = Files.readAllLines(dir.resolve("predictions.jsonl")).stream()
                .filter(l -> l.contains("\"function\":\"v2/models/penguins/infer\"")).toList();
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("#2\"").contains("\"output\":\"Adelie\""));
    }

    @Test
    void should_refuse_bad_tensors_with_400_naming_the_input_in_the_protocols_error_form() {
        Map<String, String> cases = Map.of(
                "input 'island' is FP32", THREE.replace("\"BYTES\", \"data\": [\"Biscoe\", \"Dream\", \"Torgersen\"]",
                        "\"FP32\", \"data\": [1, 2, 3]"),
                "input 'bill_depth_mm' has shape [3, 2]", THREE.replace("[3], \"datatype\": \"FP64\", \"data\": [16.0, 17.9, 18.7]",
                        "[3, 2], \"datatype\": \"FP64\", \"data\": [16.0, 17.9, 18.7, 1, 2, 3]"),
                "input 'flipper_length_mm': data holds 2 elements where shape [3] holds 3",
                        THREE.replace("[230, 192, 181]", "[230, 192]"),
                "input 'sex' has 2 rows", THREE.replace("[3], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\", \"male\"]",
                        "[2], \"datatype\": \"BYTES\", \"data\": [\"male\", \"female\"]"),
                "model penguins has no input 'isle'", THREE.replace("\"name\": \"island\"", "\"name\": \"isle\""),
                "input 'island' is missing", THREE.replace("{\"name\": \"island\", \"shape\": [3], \"datatype\": \"BYTES\","
                        + " \"data\": [\"Biscoe\", \"Dream\", \"Torgersen\"]},", ""),
                "input 'body_mass_g', row 1: ", THREE.replace("[5800, 3500, 3750]", "[5800, 35, 3750]"),
                "input 'flipper_length_mm': element 0 is 230, outside INT8's range",
                        THREE.replace("\"INT16\"", "\"INT8\""));
        cases.forEach((message, body) -> {
            Reply r = http().postJson("/v2/models/penguins/infer", body);

            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.json().propertyNames()).containsExactly("error");
            assertThat(r.json().path("error").asString()).startsWith(message);
        });
    }

    @Test
    void should_take_the_json_body_tritonclient_sends_and_refuse_its_binary_form() {
        // tritonclient.http without binary data: no Content-Type, the parameters it adds, outputs with binary_data.
        String triton = THREE.replace("\"id\": \"three\", ", "\"parameters\": {\"binary_data_output\": true}, ")
                .replace("]}]}", "]}], \"outputs\": [{\"name\": \"label\", \"parameters\": {\"binary_data\": false}}]}");
        Reply json = http().request("POST", "/v2/models/penguins/infer", Map.of(), triton);
        Reply binary = http().request("POST", "/v2/models/penguins/infer",
                Map.of("Inference-Header-Content-Length", "120"), triton);

        assertThat(json.status()).as(json.raw()).isEqualTo(200);
        assertThat(json.json().path("outputs").size()).isEqualTo(1);
        assertThat(json.json().path("outputs").get(0).path("data").toString())
                .isEqualTo("[\"Gentoo\",\"Chinstrap\",\"Adelie\"]");
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.json().path("error").asString()).contains("binary tensor data extension");
    }

    @Test
    void should_answer_404_for_an_unknown_model_or_version_and_405_for_another_method() {
        Reply model = http().postJson("/v2/models/cats/infer", THREE);
        Reply version = http().postJson("/v2/models/penguins/versions/v9/infer", THREE);
        Reply header = http().request("POST", "/v2/models/penguins/infer", Map.of("X-Model-Version", "v9"), THREE);
        Reply metadata = http().get("/v2/models/pen%67uins/versions/v2");
        Reply get = http().get("/v2/models/penguins/infer");

        assertThat(model.status()).isEqualTo(404);
        assertThat(model.json().path("error").asString()).isEqualTo("no model 'cats' is served here; models: digits, penguins");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.json().path("error").asString()).isEqualTo("model penguins has no version 'v9'; its versions: v1");
        assertThat(header.status()).isEqualTo(404);
        assertThat(metadata.status()).isEqualTo(404);
        assertThat(metadata.json().path("error").asString()).contains("model penguins has no version 'v2'");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().path("error").asString()).isEqualTo("v2/models/{name}/infer takes POST, not GET");
    }

    @Test
    void should_still_serve_the_pages_beside_the_routes_of_many_segments() {
        assertThat(http().get("/metrics/summary").status()).isEqualTo(200);
        assertThat(http().get("/webjars/chart.js/dist/chart.umd.js").status()).isEqualTo(200);
        assertThat(http().get("/v2/repository/index").status()).isEqualTo(404);
    }
}
