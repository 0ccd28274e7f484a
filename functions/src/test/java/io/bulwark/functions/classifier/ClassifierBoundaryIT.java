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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /predict and /predict_batch inside the classifier's error boundary, over HTTP: the promoted v2's model file is
 * corrupt (a half-copied directory), so the previously promoted v1 answers, and the answers say so; after a few
 * requests v2's circuit breaker opens and v2 is skipped unread, as the summary and Prometheus show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClassifierBoundaryIT {

    static final Path DIR = registryWithACorruptPromotedVersion();

    static Path registryWithACorruptPromotedVersion() {
        try {
            Path dir = Files.createTempDirectory("bulwark-boundary");
            ModelRegistry registry = new ModelRegistry(dir, JsonMapper.builder().build());
            PenguinModelType penguins = PenguinModelType.bundled();
            ModelTrainer<?> trainer = new ModelTrainer<>(penguins, Clock.systemUTC());
            registry.promote(registry.saveInitial(trainer.train(TrainingSpec.defaults(penguins))));
            String v2 = registry.save(trainer.train(TrainingSpec.defaults(penguins)));
            registry.promote(v2);
            Files.write(dir.resolve(v2).resolve(ModelRegistry.MODEL_FILE), new byte[] {42, 42});
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", DIR::toString);
    }

    @LocalServerPort
    int port;

    @Test
    @org.junit.jupiter.api.Order(1)
    void should_answer_from_the_previous_version_labelled_fallback_when_the_promoted_one_is_corrupt() {
        HttpClientSupport http = new HttpClientSupport(port);

        Reply one = http.postJson("/predict", ClassifierIT.GENTOO);
        Reply batch = http.postJson("/predict_batch", "[" + ClassifierIT.GENTOO + ", {\"island\": \"Mars\"}]");

        assertThat(one.status()).as(one.raw()).isEqualTo(200);
        assertThat(one.json().path("prediction").asString()).isEqualTo("Gentoo");
        assertThat(one.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(one.json().path("degraded").asBoolean(true)).isFalse();
        assertThat(one.json().path("fallback").asString()).isEqualTo("v2 could not be loaded: its model file is"
                + " damaged or not a model this app reads; answered by the previously promoted version v1");
        assertThat(batch.status()).as(batch.raw()).isEqualTo(200);
        assertThat(batch.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(batch.json().path("degraded").asBoolean(true)).isFalse();
        assertThat(batch.json().path("fallback").asString()).endsWith("answered by the previously promoted version v1");
        assertThat(batch.json().path("predictions").get(0).asString()).isEqualTo("Gentoo");
        assertThat(batch.json().path("results").get(1).path("error").path("field").asString()).isEqualTo("island");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void should_skip_the_corrupt_version_unread_once_its_breaker_opens_and_show_the_breaker() {
        HttpClientSupport http = new HttpClientSupport(port);
        for (int i = 0; i < io.bulwark.models.VersionBreakers.DEFAULTS.minimumNumberOfCalls(); i++) {
            assertThat(http.postJson("/predict", ClassifierIT.GENTOO).status()).isEqualTo(200);
        }

        Reply skipped = http.postJson("/predict", ClassifierIT.GENTOO);
        Reply summary = http.get("/metrics/summary");
        String prometheus = http.get("/actuator/prometheus").raw();

        assertThat(skipped.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(skipped.json().path("fallback").asString()).as(skipped.raw()).isEqualTo("v2 could not be loaded:"
                + " it was not read, its circuit breaker is open; answered by the previously promoted version v1");
        assertThat(summary.json().path("model_breakers").path("penguins v2").asString()).as(summary.raw())
                .isEqualTo("OPEN");
        assertThat(prometheus).contains(
                "bulwark_breaker_open{application=\"bulwark\",function=\"predict\",model=\"penguins v2\"} 1.0");
    }
}
