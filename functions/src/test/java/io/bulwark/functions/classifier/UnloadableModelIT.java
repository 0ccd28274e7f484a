package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app starts on a registry whose promoted model file is corrupt (a bad disk, a half-copied directory): the
 * other functions serve, /predict says what is wrong and how to get out, readiness is down, and training a new
 * version brings the classifier back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnloadableModelIT {

    static final String TOKEN = "test-admin-token";
    static final Path DIR = corruptRegistry();

    static Path corruptRegistry() {
        try {
            Path dir = Files.createTempDirectory("bulwark-unloadable");
            ModelRegistry registry = new ModelRegistry(dir, JsonMapper.builder().build());
            PenguinModelType penguins = PenguinModelType.bundled();
            String v1 = registry.saveInitial(new ModelTrainer<>(penguins, Clock.systemUTC())
                    .train(TrainingSpec.defaults(penguins)));
            registry.promote(v1);
            Files.write(dir.resolve(v1).resolve(ModelRegistry.MODEL_FILE), new byte[] {42, 42});
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", DIR::toString);
        r.add("bulwark.admin-token", () -> TOKEN);
    }

    @LocalServerPort
    int port;

    @Test
    void should_start_serve_the_other_functions_and_recover_after_training() {
        HttpClientSupport http = new HttpClientSupport(port);

        Reply sentiment = http.postJson("/sentiment", "{\"text\": \"great\"}");
        Reply predict = http.postJson("/predict", ClassifierIT.GENTOO);
        Reply readiness = http.get("/actuator/health/readiness");
        Reply v2Ready = http.get("/v2/health/ready");
        Reply v2ModelReady = http.get("/v2/models/penguins/versions/v1/ready");
        Reply v2Infer = http.postJson("/v2/models/penguins/infer", "{\"inputs\": [{\"name\": \"island\","
                + " \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\"]}, {\"name\": \"bill_length_mm\","
                + " \"shape\": [1], \"datatype\": \"FP32\", \"data\": [48.6]}, {\"name\": \"bill_depth_mm\","
                + " \"shape\": [1], \"datatype\": \"FP32\", \"data\": [16.0]}, {\"name\": \"flipper_length_mm\","
                + " \"shape\": [1], \"datatype\": \"FP32\", \"data\": [230]}, {\"name\": \"body_mass_g\","
                + " \"shape\": [1], \"datatype\": \"FP32\", \"data\": [5800]}]}");
        Reply trained = http.request("POST", "/train", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + TOKEN), "{}");
        Reply after = http.postJson("/predict", ClassifierIT.GENTOO);

        assertThat(sentiment.status()).isEqualTo(200);
        assertThat(predict.status()).as(predict.raw()).isEqualTo(503);
        assertThat(predict.json().path("error").asString()).isEqualTo("model_unavailable");
        assertThat(predict.json().path("message").asString()).contains("v1").contains("train");
        assertThat(readiness.status()).isEqualTo(503);
        // The Open Inference Protocol's "4xx is false" for readiness, and the same 503 as /predict for inference.
        assertThat(v2Ready.status()).as(v2Ready.raw()).isEqualTo(400);
        assertThat(v2Ready.json().path("error").asString()).startsWith("model penguins is not ready: ");
        assertThat(v2ModelReady.status()).as(v2ModelReady.raw()).isEqualTo(400);
        assertThat(v2ModelReady.json().path("error").asString()).startsWith("model penguins version v1 is not ready");
        assertThat(v2Infer.status()).as(v2Infer.raw()).isEqualTo(503);
        assertThat(v2Infer.json().propertyNames()).containsExactly("error");
        assertThat(trained.status()).as(trained.raw()).isEqualTo(200);
        assertThat(trained.json().path("promoted").asBoolean()).as(trained.raw()).isTrue();
        assertThat(after.status()).as(after.raw()).isEqualTo(200);
        assertThat(after.json().path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
    }
}
