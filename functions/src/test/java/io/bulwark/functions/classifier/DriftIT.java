package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift through the running local runner: penguins 800 g heavier than v1's training penguins, sent to
 * {@code /predict}, make {@code GET /drift} say drift on body mass, fire the {@code drift} alert and show in the
 * Prometheus meters; before that, unshifted penguins do not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.classifier.drift.window=60",
        "bulwark.classifier.drift.min-window=30",
        "bulwark.monitoring.evaluate-every=100ms",
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DriftIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    static final List<Penguin> PENGUINS = PenguinModelType.bundled().data().rows().stream().map(Labelled::input)
            .toList();

    @LocalServerPort
    int port;

    public static String json(Penguin p, double extraMass) {
        return String.format(Locale.ROOT, "{\"island\": \"%s\", \"bill_length_mm\": %s, \"bill_depth_mm\": %s,"
                        + " \"flipper_length_mm\": %s, \"body_mass_g\": %s%s}", p.island().wire(), p.billLengthMm(),
                p.billDepthMm(), p.flipperLengthMm(), p.bodyMassG() + extraMass,
                p.sex().wire().equals("unknown") ? "" : ", \"sex\": \"" + p.sex().wire() + "\"");
    }

    private void send(int n, double extraMass, long seed) {
        HttpClientSupport http = new HttpClientSupport(port);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            Reply r = http.postJson("/predict", json(PENGUINS.get(random.nextInt(PENGUINS.size())), extraMass));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
    }

    @Test
    @Order(1)
    void should_give_no_verdict_before_the_window_reaches_its_minimum() {
        Reply r = new HttpClientSupport(port).get("/drift");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("serving").asString()).isEqualTo("v1");
        assertThat(r.json().path("verdict").asString()).isEqualTo("insufficient_data");
        assertThat(r.json().at("/versions/0/window/min").asInt()).isEqualTo(30);
    }

    @Test
    @Order(2)
    void should_find_no_drift_in_penguins_drawn_from_the_training_data() {
        send(60, 0, 1);

        Reply r = new HttpClientSupport(port).get("/drift");
        assertThat(r.json().path("verdict").asString()).as(r.raw()).isEqualTo("no_drift");
        assertThat(r.json().at("/versions/0/window/size").asInt()).isEqualTo(60);
        assertThat(r.json().at("/versions/0/features")).hasSize(6);
    }

    @Test
    @Order(3)
    void should_find_drift_in_body_mass_fire_the_alert_and_show_it_to_prometheus() {
        send(60, 800, 2);

        HttpClientSupport http = new HttpClientSupport(port);
        Reply r = http.get("/drift");
        System.out.println("GET /drift after 60 penguins 800 g heavier: " + r.raw());
        assertThat(r.json().path("verdict").asString()).as(r.raw()).isEqualTo("drift");
        JsonNode v1 = r.json().at("/versions/0");
        List<String> drifted = new ArrayList<>();
        v1.path("drifted").forEach(n -> drifted.add(n.asString()));
        assertThat(drifted).contains("body_mass_g").doesNotContain("island", "bill_length_mm");
        for (JsonNode f : v1.path("features")) {
            if (f.path("feature").asString().equals("body_mass_g")) {
                assertThat(f.at("/tests/0/test").asString()).isEqualTo("ks");
                assertThat(f.at("/tests/0/p_value").asDouble()).isLessThan(f.at("/tests/0/threshold").asDouble());
                assertThat(f.at("/tests/1/test").asString()).isEqualTo("psi");
                assertThat(f.at("/tests/1/statistic").asDouble()).isGreaterThanOrEqualTo(0.2);
            }
        }

        Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode alerts = http.get("/alerts").json();
            List<String> firing = new ArrayList<>();
            alerts.path("firing").forEach(a -> firing.add(a.path("rule").asString()));
            assertThat(firing).contains("drift");
        });
        JsonNode summary = http.get("/metrics/summary").json();
        assertThat(summary.at("/classifier/drift").asString()).isEqualTo("drift");
        assertThat(summary.at("/classifier/drifted/0").asString()).isEqualTo("body_mass_g");
        String prometheus = http.get("/actuator/prometheus").raw();
        assertThat(prometheus).contains("bulwark_drift_drifted_features{application=\"bulwark\",function=\"predict\"}")
                .contains("bulwark_drift_statistic{application=\"bulwark\",feature=\"body_mass_g\",function=\"predict\","
                        + "test=\"psi\"}");
        assertThat(http.get("/metrics/dashboard").json().at("/drift/verdict").asString()).isEqualTo("drift");
    }
}
