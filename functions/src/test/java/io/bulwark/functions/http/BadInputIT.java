package io.bulwark.functions.http;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input, through the running local HTTP runner: a 4xx with the contract's error body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputIT {

    @LocalServerPort
    int port;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport(port);
    }

    private static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("error").asString()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).isEqualTo(field);
        assertThat(r.json().path("message").asString()).isNotBlank();
        // Neither a stack trace nor the JSON library's vocabulary (its Java types and feature flags).
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("`")
                .doesNotContain("jackson");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing text            | {\"user_id\": \"u1\"}                | 400 | missing_field | text",
            "empty text              | {\"text\": \"\"}                     | 400 | empty_field   | text",
            "whitespace text         | {\"text\": \"  \\t\\n \"}            | 400 | empty_field   | text",
            "number text             | {\"text\": 42}                       | 400 | invalid_type  | text",
            "null text               | {\"text\": null}                     | 400 | invalid_type  | text",
            "object text             | {\"text\": {\"a\": 1}}               | 400 | invalid_type  | text",
            "array text              | {\"text\": [\"good\"]}               | 400 | invalid_type  | text",
            "number user_id          | {\"text\": \"ok\", \"user_id\": 7}   | 400 | invalid_type  | user_id",
            "malformed json          | {\"text\": \"unterminated            | 400 | malformed_json | body",
            "single quotes           | {'text': 'hi'}                       | 400 | malformed_json | body",
            "bare string             | \"just a string\"                    | 400 | invalid_type  | body",
            "array body              | [1, 2]                               | 400 | invalid_type  | body",
            "text given twice        | {\"text\": \"ok\", \"text\": \"no\"} | 400 | malformed_json | body",
            "two JSON values         | {\"text\": \"ok\"} {\"text\": \"x\"}  | 400 | malformed_json | body",
            "NaN                     | {\"text\": NaN}                      | 400 | malformed_json | body",
    })
    void should_answer_4xx_naming_the_field(String name, String body, int status, String error, String field) {
        assertError(http.postJson("/sentiment", body), status, error, field);
    }

    @Test
    void should_reject_text_over_the_limit_with_its_length() {
        Reply r = http.postJson("/sentiment", "{\"text\": \"" + "a".repeat(1001) + "\"}");

        assertError(r, 400, "too_long", "text");
        assertThat(r.json().path("message").asString()).contains("1001").contains("1000");
    }

    @Test
    void should_accept_text_exactly_at_the_limit() {
        Reply r = http.postJson("/sentiment", "{\"text\": \"" + "é".repeat(1000) + "\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void should_reject_an_empty_body() {
        assertError(http.postJson("/sentiment", ""), 400, "missing_body", "body");
    }

    @Test
    void should_reject_an_unsupported_content_type() {
        Reply r = http.post("/sentiment", "text/plain", "I love it");

        assertError(r, 415, "unsupported_media_type", "Content-Type");
        assertThat(r.json().path("message").asString()).contains("text/plain");
    }

    @Test
    void should_reject_form_encoded_bodies() {
        assertError(http.post("/sentiment", "application/x-www-form-urlencoded", "text=hi"), 415,
                "unsupported_media_type", "Content-Type");
    }

    @Test
    void should_accept_json_without_a_content_type() {
        assertThat(http.post("/sentiment", null, "{\"text\": \"great\"}").status()).isEqualTo(200);
    }

    @Test
    void should_answer_404_for_an_unknown_function() {
        assertError(http.postJson("/nope", "{}"), 404, "not_found", "path");
    }

    @Test
    void should_answer_405_for_the_wrong_method() {
        assertError(http.get("/sentiment"), 405, "method_not_allowed", "method");
    }

    @Test
    void should_answer_405_not_404_for_posting_to_a_page() {
        assertError(http.postJson("/dashboard", "{}"), 405, "method_not_allowed", "method");
        assertError(http.postJson("/alerts", "{}"), 405, "method_not_allowed", "method");
    }

    @Test
    void should_refuse_a_body_over_the_limit_without_reading_it_all() {
        Reply r = http.postJson("/predict_batch", "[" + "{},".repeat(FunctionServlets.MAX_BODY_BYTES / 3) + "{}]");

        assertError(r, 413, "payload_too_large", "body");
    }

    @Test
    void should_serve_a_function_at_its_path_with_a_trailing_slash() {
        Reply r = http.postJson("/sentiment/", "{\"text\": \"great\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("sentiment").asString()).isEqualTo("positive");
    }

    @Test
    void should_answer_gzip_bombs_sent_at_once_with_413_or_503_never_a_500() throws Exception {
        byte[] bomb = ContentEncodingTest.gzip(ContentEncoding.MAX_DECODED_BYTES + 1); // about 32 KB of gzip
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/sentiment"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bomb)).build();

        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<java.net.http.HttpResponse<String>> answers = sent.stream().map(java.util.concurrent.CompletableFuture::join)
                .toList();

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isIn(413, 503);
            assertThat(r.body()).contains(r.statusCode() == 413 ? "\"payload_too_large\"" : "\"server_busy\"");
        });
        assertThat(answers).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(413));
        assertThat(http.postJson("/sentiment", "{\"text\": \"great\"}").status()).isEqualTo(200);
    }
}
