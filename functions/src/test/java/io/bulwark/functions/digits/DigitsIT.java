package io.bulwark.functions.digits;

import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digit functions' HTTP contract through the running local runner: every input form, the variants, the batch,
 * and every bad input of the issue answered with a 4xx naming the field. The registry starts empty in a temporary
 * directory, so the shipped v1 is installed into it at start-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DigitsIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_IMAGE_BYTES = 200_000;

    @TempDir
    static Path dir;
    static List<Labelled<DigitImage>> heldOut;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.digits.registry", () -> dir.resolve("digits").toString());
        r.add("bulwark.digits.max-image-bytes", () -> Integer.toString(MAX_IMAGE_BYTES));
        r.add("bulwark.prediction-log.backend", () -> "none");
    }

    @LocalServerPort
    int port;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void digits() {
        DigitData data = DigitData.bundled();
        List<Labelled<DigitImage>> test = data.split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED).test();
        // every 50th of the 2,000 (they are grouped by digit): four of each digit
        heldOut = java.util.stream.IntStream.range(0, 40).mapToObj(i -> test.get(i * 50)).toList();
    }

    record Reply(int status, JsonNode json, String raw) {
    }

    Reply post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    Reply json(String path, String body, String... headers) throws Exception {
        return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
        assertThat(r.json().path("message").asString()).isNotBlank();
    }

    /** A held-out digit drawn as a photo of paper would be: dark ink on white, three times larger. */
    static byte[] image(DigitImage digit, String format) throws IOException {
        float[] ink = digit.ink();
        BufferedImage img = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                int v = Math.round(255 * (1 - ink[(y / 3) * 28 + x / 3]));
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    static String pixels(DigitImage digit, boolean nested) {
        float[] ink = digit.ink();
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < 784; i++) {
            if (nested && i % 28 == 0) {
                s.append(i == 0 ? "[" : "],[");
            } else if (i > 0) {
                s.append(',');
            }
            s.append(nested ? Integer.toString(Math.round(ink[i] * 255)) : Float.toString(ink[i]));
        }
        return s.append(nested ? "]]" : "]").toString();
    }

    /** A PNG made of its signature, an IHDR declaring {@code w × h}, one small IDAT and IEND. */
    static byte[] declaredPng(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 10 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(b, "IDAT", new byte[10]);
        chunk(b, "IEND", new byte[0]);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }

    @Test
    void should_recognise_held_out_digits_sent_as_png_bodies() throws Exception {
        int right = 0;
        for (Labelled<DigitImage> d : heldOut.subList(0, 20)) {
            Reply r = post("digits", "image/png", image(d.input(), "png"));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            JsonNode a = r.json();
            assertThat(a.path("model_version").asString()).isEqualTo("v1");
            assertThat(a.path("variant").asString()).isEqualTo("int8");
            assertThat(a.path("probabilities").size()).isEqualTo(10);
            double sum = 0;
            for (JsonNode p : a.path("probabilities")) {
                sum += p.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(a.path("request_id").asString()).isNotBlank();
            assertThat(a.has("latency_ms")).isTrue();
            String predicted = a.path("digit").isNumber() ? a.path("digit").asString()
                    : a.path("best_guess").asString();
            if (predicted.equals(d.label())) {
                right++;
            }
        }
        assertThat(right).as("held-out digits recognised from PNG photos of them").isGreaterThanOrEqualTo(18);
    }

    @Test
    void should_read_a_jpeg_body_base64_json_and_both_pixel_forms_alike() throws Exception {
        Labelled<DigitImage> d = heldOut.get(1);
        Reply png = json("digits", "{\"image\": \"" + Base64.getEncoder().encodeToString(image(d.input(), "png"))
                + "\"}");
        Reply jpeg = post("digits", "image/jpeg", image(d.input(), "jpeg"));
        Reply nested = json("digits", "{\"pixels\": " + pixels(d.input(), true) + "}");
        Reply flat = json("digits", "{\"pixels\": " + pixels(d.input(), false) + ", \"pixel_range\": \"0-1\"}");
        Reply sniffed = post("digits", null, image(d.input(), "png"));
        for (Reply r : List.of(png, jpeg, nested, flat, sniffed)) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
        String expected = nested.json().path("digit").asString();
        assertThat(flat.json().path("digit").asString()).isEqualTo(expected);
        assertThat(png.json().path("digit").asString()).isEqualTo(expected);
        assertThat(jpeg.json().path("digit").asString()).isEqualTo(expected);
        assertThat(sniffed.json().path("digit").asString()).isEqualTo(expected);
    }

    @Test
    void should_serve_the_variant_the_header_names_and_refuse_an_unknown_one() throws Exception {
        byte[] png = image(heldOut.get(2).input(), "png");
        for (String v : List.of("fp32", "fp16", "INT8")) {
            Reply r = post("digits", "image/png", png, "X-Model-Variant", v);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.json().path("variant").asString()).isEqualTo(v.toLowerCase(java.util.Locale.ROOT));
        }
        assertError(post("digits", "image/png", png, "X-Model-Variant", "int4"), 400, "invalid_value",
                "X-Model-Variant");
        assertError(post("digits", "image/png", png, "X-Model-Version", "v9"), 404, "unknown_version",
                "X-Model-Version");
    }

    @Test
    void should_answer_a_batch_in_order_with_a_bad_item_failing_alone() throws Exception {
        StringBuilder body = new StringBuilder("{\"images\": [");
        for (int i = 0; i < 5; i++) {
            body.append("{\"pixels\": ").append(pixels(heldOut.get(i).input(), true)).append("},");
        }
        body.append("{\"pixels\": [1, 2, 3]}, {\"image\": \"not base64!\"}, 7]}");
        Reply r = json("digits_batch", body.toString(), "X-Model-Variant", "fp32");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("count").asInt()).isEqualTo(8);
        assertThat(r.json().path("failed").asInt()).isEqualTo(3);
        assertThat(r.json().path("variant").asString()).isEqualTo("fp32");
        JsonNode results = r.json().path("results");
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).path("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).path("probabilities").size()).isEqualTo(10);
        }
        assertThat(results.get(5).path("error").path("field").asString()).isEqualTo("images[5].pixels");
        assertThat(results.get(6).path("error").path("error").asString()).isEqualTo("invalid_base64");
        assertThat(results.get(6).path("error").path("field").asString()).isEqualTo("images[6].image");
        assertThat(results.get(7).path("error").path("field").asString()).isEqualTo("images[7]");

        assertError(json("digits_batch", "{\"images\": []}"), 400, "missing_field", "images");
        assertError(json("digits_batch", "{\"images\": {}}"), 400, "invalid_type", "images");
        String tooMany = "{\"images\": [" + String.join(",", java.util.Collections.nCopies(257, "{}")) + "]}";
        assertError(json("digits_batch", tooMany), 413, "too_many_images", "images");
    }

    @Test
    void should_refuse_every_bad_input_with_a_4xx_naming_the_field() throws Exception {
        byte[] png = image(heldOut.get(3).input(), "png");
        assertError(post("digits", "image/png", "this is text".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported_image", "body");
        assertError(post("digits", "image/png", Arrays.copyOf(png, png.length / 2)), 400, "invalid_image", "body");
        assertError(post("digits", "image/png", Arrays.copyOf(png, 20)), 400, "invalid_image", "body");
        Reply empty = post("digits", "image/png", declaredPng(0, 0));
        assertThat(empty.status()).as(empty.raw()).isEqualTo(400);
        assertThat(empty.json().path("field").asString()).isEqualTo("body");
        assertError(post("digits", "image/png", declaredPng(20_000, 20_000)), 413, "image_too_large", "body");
        byte[] big = Arrays.copyOf(png, MAX_IMAGE_BYTES + 1);
        assertError(post("digits", "image/png", big), 413, "image_too_large", "body");
        assertError(post("digits", "image/gif", png), 415, "unsupported_media_type", "Content-Type");
        assertError(post("digits", "image/png", new byte[0]), 400, "missing_body", "body");

        assertError(json("digits", "{\"image\": \"@@@not base64@@@\"}"), 400, "invalid_base64", "image");
        assertError(json("digits", "{\"image\": 42}"), 400, "invalid_type", "image");
        assertError(json("digits", "{\"image\": \"" + Base64.getEncoder().encodeToString(declaredPng(20_000, 20_000))
                + "\"}"), 413, "image_too_large", "image");
        assertError(json("digits", "{\"pixels\": [1, 2, 3]}"), 400, "invalid_shape", "pixels");
        String shortRow = pixels(heldOut.get(0).input(), true).replaceFirst("\\[\\[0,", "[[");
        assertError(json("digits", "{\"pixels\": " + shortRow + "}"), 400, "invalid_shape", "pixels[0]");
        String outOfRange = pixels(heldOut.get(0).input(), true).replaceFirst("\\[\\[0,", "[[256,");
        assertError(json("digits", "{\"pixels\": " + outOfRange + "}"), 400, "out_of_range", "pixels[0][0]");
        String notNumber = pixels(heldOut.get(0).input(), true).replaceFirst("\\[\\[0,", "[[\"x\",");
        assertError(json("digits", "{\"pixels\": " + notNumber + "}"), 400, "invalid_type", "pixels[0][0]");
        String over1 = pixels(heldOut.get(0).input(), true);
        assertError(json("digits", "{\"pixels\": " + over1 + ", \"pixel_range\": \"0-1\"}"), 400, "out_of_range",
                firstInk(heldOut.get(0).input()));
        assertError(json("digits", "{\"pixels\": " + over1 + ", \"pixel_range\": \"0-100\"}"), 400, "invalid_value",
                "pixel_range");
        String blank = "{\"pixels\": [" + String.join(",", java.util.Collections.nCopies(784, "0")) + "]}";
        assertError(json("digits", blank), 400, "blank_image", "pixels");
        assertError(json("digits", "{}"), 400, "missing_field", "image");
        assertError(json("digits", "{\"pixels\": [1], "), 400, "malformed_json", "body");
    }

    /** The field name of the first pixel above 1 in 0–255 form. */
    private static String firstInk(DigitImage d) {
        float[] ink = d.ink();
        for (int i = 0; i < 784; i++) {
            if (Math.round(ink[i] * 255) > 1) {
                return "pixels[" + (i / 28) + "][" + (i % 28) + "]";
            }
        }
        throw new IllegalStateException("no ink");
    }
}
