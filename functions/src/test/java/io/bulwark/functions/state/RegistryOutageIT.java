package io.bulwark.functions.state;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.state.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on a model registry in a real S3-compatible server (s3proxy, in process) that is stopped mid-test: the
 * registry's readers answer from what the instance last knew ({@code GET /models} says {@code stale}), a version that
 * cannot be looked up is answered by the promoted one with the reason in {@code fallback}, and what needs the storage
 * ({@code /promote}, {@code /train}) is a 503 {@code registry_unavailable} — never a 500.
 */
class RegistryOutageIT {

    private static final String TOKEN = "registry-outage-token";
    private static final String PENGUIN = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0,"
            + " \"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    private static S3Server s3;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("bulwark-registry-outage");
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("models");
        // The AWS SDK's default credentials chain reads these system properties.
        System.setProperty("aws.accessKeyId", s3.credentials().resolveCredentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", s3.credentials().resolveCredentials().secretAccessKey());
        app = new SpringApplicationBuilder(BulwarkApplication.class).run(
                "--server.port=0",
                "--bulwark.classifier.registry=s3://models/penguins",
                "--bulwark.classifier.registry-endpoint=" + s3.endpoint(),
                "--bulwark.classifier.registry-poll=500ms",
                "--bulwark.classifier.auto-promote=never",
                "--bulwark.cache.semantic.enabled=false",
                "--bulwark.cost.budget-file=" + dir.resolve("budget.json"),
                "--bulwark.prediction-log.backend=none",
                "--bulwark.admin-token=" + TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static HttpClientSupport http() {
        return new HttpClientSupport(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    private static Reply admin(String path, String body) {
        return http().request("POST", path, Map.of("Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json"), body);
    }

    @Test
    void should_answer_from_the_last_known_registry_while_its_storage_is_down_and_refuse_writes_with_503() throws Exception {
        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 3}}");
        assertThat(trained.status()).as(trained.raw()).isEqualTo(200);
        Reply before = http().get("/models");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().path("versions").size()).isEqualTo(2);
        assertThat(before.json().has("stale")).as("fresh: no stale field").isFalse();
        assertThat(http().postJson("/predict", PENGUIN).json().path("model_version").asString()).isEqualTo("v1");

        s3.close(); // the S3-compatible server goes away: connections are refused from now on

        Reply models = http().get("/models");
        System.out.println("GET /models during the outage: " + models.raw());
        assertThat(models.status()).as(models.raw()).isEqualTo(200);
        assertThat(models.json().path("promoted").asString()).isEqualTo("v1");
        assertThat(models.json().path("versions").size()).isEqualTo(2);
        assertThat(models.json().at("/versions/1/algorithm").asString()).as("metadata read before the outage")
                .isEqualTo("cart");
        assertThat(models.json().path("stale").asString()).contains("last listing");

        Reply served = http().postJson("/predict", PENGUIN);
        assertThat(served.status()).as(served.raw()).isEqualTo(200);
        assertThat(served.json().path("prediction").asString()).isEqualTo("Gentoo");

        Reply v2 = http().request("POST", "/predict", Map.of("Content-Type", "application/json",
                "X-Model-Version", "v2"), PENGUIN);
        assertThat(v2.status()).as(v2.raw()).isEqualTo(200);
        assertThat(v2.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(v2.json().path("fallback").asString()).contains("registry");

        Reply promote = admin("/promote", "{\"version\": \"v2\"}");
        assertThat(promote.status()).as(promote.raw()).isEqualTo(503);
        assertThat(promote.json().path("error").asString()).isEqualTo("registry_unavailable");

        Reply train = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 2}}");
        assertThat(train.status()).as(train.raw()).isEqualTo(503);
        assertThat(train.json().path("error").asString()).isEqualTo("registry_unavailable");

        Reply v2meta = http().get("/v2/models/penguins");
        assertThat(v2meta.status()).as(v2meta.raw()).isNotEqualTo(500);
    }
}
