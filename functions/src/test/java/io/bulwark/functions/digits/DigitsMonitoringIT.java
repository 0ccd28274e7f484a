package io.bulwark.functions.digits;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digit recogniser watched as the penguins are: each /digits answer in the prediction log and joinable by
 * /feedback, its live accuracy in GET /accuracy?model=digits, and the inputs' shape in GET /drift?model=digits
 * (digits sent small in a corner drift).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DigitsMonitoringIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.digits.registry", () -> dir.resolve("digits").toString());
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
        r.add("bulwark.classifier.drift.window", () -> "40");
        r.add("bulwark.classifier.drift.min-window", () -> "30");
    }

    @LocalServerPort
    int port;

    static List<DigitImage> heldOut() {
        List<Labelled<DigitImage>> test = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        return java.util.stream.IntStream.range(0, 40).mapToObj(i -> test.get(i * 50).input()).toList();
    }

    /** 28×28 grey levels 0–255, the digit halved into the top-left 14×14 when {@code corner}. */
    static String pixels(DigitImage digit, boolean corner) {
        float[] ink = digit.ink();
        int[] out = new int[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                out[corner ? (y / 2) * 28 + x / 2 : y * 28 + x] += Math.round(ink[y * 28 + x] * 255 / (corner ? 4f
                        : 1f));
            }
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < 784; i++) {
            s.append(i == 0 ? "" : ",").append(Math.min(255, out[i]));
        }
        return s.append(']').toString();
    }

    @Test
    void should_log_a_digit_join_its_feedback_and_report_drift_of_digits_sent_small_in_a_corner() throws Exception {
        HttpClientSupport http = new HttpClientSupport(port);
        List<DigitImage> digits = heldOut();

        Reply one = http.request("POST", "/digits", Map.of("Content-Type", "application/json", "X-Request-Id",
                "digit-fb-1"), "{\"pixels\": " + pixels(digits.getFirst(), false) + "}");
        Reply feedback = http.postJson("/feedback", "{\"request_id\": \"digit-fb-1\", \"label\": \"0\"}");
        StringBuilder batch = new StringBuilder("{\"images\": [");
        for (int i = 0; i < digits.size(); i++) {
            batch.append(i == 0 ? "" : ",").append("{\"pixels\": ").append(pixels(digits.get(i), true)).append('}');
        }
        Reply cornered = http.postJson("/digits_batch", batch.append("]}").toString());
        Reply drift = http.get("/drift?model=digits");
        Reply cats = http.get("/drift?model=cats");
        Reply accuracy = http.get("/accuracy?model=digits");
        Reply penguinAccuracy = http.get("/accuracy");
        Reply catsAccuracy = http.get("/accuracy?model=cats");

        assertThat(one.status()).as(one.raw()).isEqualTo(200);
        String digit = one.json().path("digit").asString();
        assertThat(feedback.status()).as(feedback.raw()).isEqualTo(200);
        assertThat(feedback.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(feedback.json().path("label").asString()).isEqualTo("0");
        assertThat(feedback.json().path("correct").asBoolean()).isEqualTo("0".equals(digit));
        List<String> log = Files.readAllLines(dir.resolve("predictions.jsonl"));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("\"request_id\":\"digit-fb-1\"")
                .contains("\"function\":\"digits\"").contains("\"model_version\":\"v1\"").contains("pixels_sha256"));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("\"function\":\"feedback\"")
                .contains("\"request_id\":\"digit-fb-1\""));
        assertThat(log.stream().filter(l -> l.contains("\"function\":\"digits_batch\""))).hasSize(40);
        assertThat(cornered.status()).as(cornered.raw()).isEqualTo(200);
        assertThat(drift.status()).as(drift.raw()).isEqualTo(200);
        assertThat(drift.json().path("serving").asString()).isEqualTo("v1");
        assertThat(drift.json().path("verdict").asString()).as(drift.raw()).isEqualTo("drift");
        assertThat(drift.json().at("/versions/0/drifted").toString()).contains("box_centre_x", "box_centre_y",
                "box_width");
        assertThat(cats.status()).isEqualTo(400);
        assertThat(cats.json().path("field").asString()).isEqualTo("model");
        // The digit label counts in the digit recogniser's live accuracy, not in the penguin classifier's.
        assertThat(accuracy.status()).as(accuracy.raw()).isEqualTo(200);
        assertThat(accuracy.json().path("serving").asString()).isEqualTo("v1");
        assertThat(accuracy.json().path("verdict").asString()).as(accuracy.raw()).isEqualTo("insufficient_feedback");
        assertThat(accuracy.json().at("/versions/0/version").asString()).isEqualTo("v1");
        assertThat(accuracy.json().at("/versions/0/feedback").asInt()).as(accuracy.raw()).isEqualTo(1);
        assertThat(accuracy.json().at("/versions/0/correct").asInt()).isEqualTo("0".equals(digit) ? 1 : 0);
        assertThat(accuracy.json().at("/versions/0/held_out_accuracy").asDouble()).as(accuracy.raw())
                .isGreaterThan(0.97);
        assertThat(penguinAccuracy.status()).as(penguinAccuracy.raw()).isEqualTo(200);
        assertThat(penguinAccuracy.json().at("/versions/0/feedback").asInt()).as(penguinAccuracy.raw()).isZero();
        assertThat(catsAccuracy.status()).isEqualTo(400);
        assertThat(catsAccuracy.json().path("field").asString()).isEqualTo("model");
    }
}
