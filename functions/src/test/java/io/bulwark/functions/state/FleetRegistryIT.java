package io.bulwark.functions.state;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.state.Await;
import io.bulwark.state.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the app on one model registry in a real S3-compatible server (s3proxy, in process): a version
 * trained and promoted through A's {@code /train}, {@code /promote} and {@code /rollback} is what B serves within
 * the poll interval.
 */
class FleetRegistryIT {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final String TOKEN = "fleet-registry-token";
    private static final String PENGUIN = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0,"
            + " \"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    private static S3Server s3;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("bulwark-fleet-registry");
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("models");
        // The AWS SDK's default credentials chain reads these system properties.
        System.setProperty("aws.accessKeyId", s3.credentials().resolveCredentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", s3.credentials().resolveCredentials().secretAccessKey());
        a = instance(dir, "a");
        b = instance(dir, "b");
    }

    private static ConfigurableApplicationContext instance(Path dir, String name) {
        return new SpringApplicationBuilder(BulwarkApplication.class).run(
                "--server.port=0",
                "--bulwark.classifier.registry=s3://models/penguins",
                "--bulwark.classifier.registry-endpoint=" + s3.endpoint(),
                "--bulwark.classifier.registry-poll=" + POLL.toMillis() + "ms",
                "--bulwark.classifier.auto-promote=never",
                "--bulwark.cache.semantic.enabled=false",
                "--bulwark.cost.budget-file=" + dir.resolve(name + "-budget.json"),
                "--bulwark.prediction-log.backend=none",
                "--bulwark.admin-token=" + TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[]{a, b}) {
            if (app != null) {
                app.close();
            }
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
    }

    private static HttpClientSupport http(ConfigurableApplicationContext app) {
        return new HttpClientSupport(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
    }

    private static Reply admin(ConfigurableApplicationContext app, String path, String body) {
        return http(app).request("POST", path, Map.of("Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json"), body);
    }

    private static String served(ConfigurableApplicationContext app) {
        return http(app).postJson("/predict", PENGUIN).json().path("model_version").asString();
    }

    @Test
    void should_serve_on_b_within_the_poll_interval_what_a_trained_promoted_and_rolled_back() {
        assertThat(served(a)).isEqualTo("v1");
        assertThat(served(b)).isEqualTo("v1"); // B found A's v1 in the bucket: one registry

        Reply trained = admin(a, "/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 3}}");
        assertThat(trained.status()).as(trained.raw()).isEqualTo(200);
        String version = trained.json().path("new_model_version").asString();
        assertThat(version).isEqualTo("v2");
        assertThat(http(b).get("/models").json().path("versions").size()).isEqualTo(2);

        assertThat(admin(a, "/promote", "{\"version\": \"v2\"}").status()).isEqualTo(200);
        Duration seen = Await.until(POLL.multipliedBy(10), "B serves v2", () -> "v2".equals(served(b)));
        System.out.println("FleetRegistryIT: B served A's promotion after " + seen.toMillis() + " ms (poll "
                + POLL.toMillis() + " ms)");

        assertThat(admin(a, "/rollback", "").status()).isEqualTo(200);
        Await.until(POLL.multipliedBy(10), "B serves v1 again", () -> "v1".equals(served(b)));
    }
}
