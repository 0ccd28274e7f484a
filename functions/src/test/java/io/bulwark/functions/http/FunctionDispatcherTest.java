package io.bulwark.functions.http;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatch every runtime shares: routing, method checks, and what a failing function answers. */
class FunctionDispatcherTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers {"text": <body>}; the body "boom" is a bug in the function. */
    static final class Echo extends JsonFunction {
        Echo() {
            super(JSON);
        }

        @Override
        protected Object handle(Message<byte[]> request) {
            String body = new String(request.getPayload(), StandardCharsets.UTF_8);
            if (body.equals("boom")) {
                throw new IllegalStateException("a bug with a secret in its message");
            }
            return Map.of("text", body);
        }
    }

    final FunctionDispatcher dispatcher = new FunctionDispatcher(name -> new Echo(),
            new FunctionEndpoints(List.of(new FunctionEndpoints.Endpoint("echo", "POST"))), JSON);

    FunctionResponse call(String method, String path, String body) {
        return dispatcher.dispatch(new FunctionRequest(method, path, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode json(FunctionResponse r) {
        return JSON.readTree(r.body());
    }

    @Test
    void should_call_the_named_function_with_or_without_a_trailing_slash() {
        assertThat(json(call("POST", "/echo", "hi")).path("text").asString()).isEqualTo("hi");
        assertThat(json(call("POST", "/echo/", "hi")).path("text").asString()).isEqualTo("hi");
    }

    @Test
    void should_answer_404_and_405_with_the_contract_body() {
        FunctionResponse missing = call("POST", "/nope", "");
        FunctionResponse wrongMethod = call("GET", "/echo", "");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).path("error").asString()).isEqualTo("not_found");
        assertThat(json(missing).path("message").asString()).contains("POST /echo");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(json(wrongMethod).path("field").asString()).isEqualTo("method");
    }

    @Test
    void should_turn_a_bug_into_a_500_with_the_contract_body_and_no_details() {
        FunctionResponse r = call("POST", "/echo", "boom");

        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).path("error").asString()).isEqualTo("internal_error");
        assertThat(json(r).path("message").asString()).contains("echo failed unexpectedly");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("secret").doesNotContain("Exception");
    }

    @Test
    void should_decompress_a_gzip_body_and_refuse_other_encodings() throws Exception {
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write("hi".getBytes(StandardCharsets.UTF_8));
        }

        FunctionResponse gzip = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("Content-Encoding", "gzip"), gzipped.toByteArray()));
        FunctionResponse notGzip = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("Content-Encoding", "gzip"), "hi".getBytes(StandardCharsets.UTF_8)));
        FunctionResponse brotli = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("Content-Encoding", "br"), new byte[] {1, 2}));

        assertThat(json(gzip).path("text").asString()).isEqualTo("hi");
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(json(notGzip).path("error").asString()).isEqualTo("malformed_body");
        assertThat(brotli.status()).isEqualTo(415);
        assertThat(json(brotli).path("field").asString()).isEqualTo("Content-Encoding");
    }

    @Test
    void should_refuse_a_gzip_body_that_decompresses_past_the_limit() throws Exception {
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write(new byte[ContentEncoding.MAX_DECODED_BYTES + 1]); // zeros: about 64 KiB compressed
        }

        FunctionResponse r = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("content-encoding", "gzip"), gzipped.toByteArray()));

        assertThat(r.status()).isEqualTo(413);
        assertThat(json(r).path("error").asString()).isEqualTo("payload_too_large");
    }

    @Test
    void should_answer_500_when_a_listed_function_is_missing() {
        FunctionDispatcher broken = new FunctionDispatcher(name -> {
            throw new IllegalStateException("function '" + name + "' is listed but not in the catalog");
        }, new FunctionEndpoints(List.of(new FunctionEndpoints.Endpoint("echo", "POST"))), JSON);

        FunctionResponse r = broken.dispatch(new FunctionRequest("POST", "/echo", Map.of(), new byte[0]));

        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).path("error").asString()).isEqualTo("internal_error");
    }
}
