package io.bulwark.functions.http;

import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edge every runtime shares: routing, method checks, decoding, request ids, refusals, bugs and observers. */
class FunctionDispatcherTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers {"text": <body>, "id": <request id>}; "bad" is refused, "boom" is a bug; each call takes 3 ms. */
    final class Echo implements HttpFunction {
        @Override
        public FunctionEndpoints.Endpoint endpoint() {
            return FunctionEndpoints.Endpoint.post("echo");
        }

        @Override
        public Object apply(FunctionRequest request) {
            time.advance(java.time.Duration.ofMillis(3));
            String body = new String(request.body(), StandardCharsets.UTF_8);
            return switch (body) {
                case "bad" -> throw new RequestRejected("invalid_value", "x", "bad x");
                case "busy" -> throw new RequestRejected(503, "server_busy", null, "busy");
                case "broken" -> throw new RequestRejected(503, "model_unavailable", null, "no model");
                case "boom" -> throw new IllegalStateException("a bug with a secret in its message");
                case "mdc" -> Map.of("rid", String.valueOf(org.slf4j.MDC.get(FunctionDispatcher.MDC_REQUEST_ID)),
                        "fn", String.valueOf(org.slf4j.MDC.get(FunctionDispatcher.MDC_FUNCTION)));
                case "later" -> new HttpFunction.WithStatus(202, Map.of("q", request.queryParameter("id") + "|" + request.queryParameter("flag")));
                default -> Map.of("text", body, "id", request.requestId());
            };
        }
    }

    final SimulatedTime time = new SimulatedTime();
    final List<FunctionCall> calls = new ArrayList<>();
    final FunctionDispatcher dispatcher = new FunctionDispatcher(List.of(new Echo()), JSON, calls::add, time);

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
    void should_answer_a_refusal_with_its_status_and_the_contract_body() {
        FunctionResponse r = call("POST", "/echo", "bad");

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).properties()).extracting(Map.Entry::getKey).containsExactly("error", "message", "field");
        assertThat(json(r).path("error").asString()).isEqualTo("invalid_value");
        assertThat(json(r).path("field").asString()).isEqualTo("x");
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
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
    void should_keep_an_id_like_request_id_and_replace_anything_else() {
        FunctionResponse kept = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("X-Request-Id", "abc-123"), "hi".getBytes(StandardCharsets.UTF_8)));
        FunctionResponse replaced = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("X-Request-Id", "<script>"), "hi".getBytes(StandardCharsets.UTF_8)));

        assertThat(json(kept).path("id").asString()).isEqualTo("abc-123");
        assertThat(kept.headers()).containsEntry("X-Request-Id", "abc-123");
        assertThat(json(replaced).path("id").asString()).hasSize(36).isNotEqualTo("<script>");
        assertThat(replaced.headers().get("X-Request-Id")).isEqualTo(json(replaced).path("id").asString());
    }

    @Test
    void should_take_the_platforms_request_id_when_the_caller_sends_none() {
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        FunctionResponse platform = dispatcher.dispatch(new FunctionRequest("POST", "/echo", Map.of(), hi,
                "JKJaXmPLvHcESHA="));
        FunctionResponse caller = dispatcher.dispatch(new FunctionRequest("POST", "/echo",
                Map.of("X-Request-Id", "abc-123"), hi, "JKJaXmPLvHcESHA="));
        FunctionResponse garbage = dispatcher.dispatch(new FunctionRequest("POST", "/echo", Map.of(), hi,
                "two words"));

        assertThat(json(platform).path("id").asString()).isEqualTo("JKJaXmPLvHcESHA=");
        assertThat(platform.headers()).containsEntry("X-Request-Id", "JKJaXmPLvHcESHA=");
        assertThat(json(caller).path("id").asString()).isEqualTo("abc-123");
        assertThat(json(garbage).path("id").asString()).hasSize(36);
        assertThat(calls).extracting(FunctionCall::requestId)
                .containsExactly("JKJaXmPLvHcESHA=", "abc-123", json(garbage).path("id").asString());
    }

    @Test
    void should_name_the_request_and_function_in_the_logging_mdc_only_while_the_function_runs() {
        FunctionResponse r = dispatcher.dispatch(new FunctionRequest("POST", "/echo", Map.of("X-Request-Id", "r-1"),
                "mdc".getBytes(StandardCharsets.UTF_8)));

        assertThat(json(r).path("rid").asString()).isEqualTo("r-1");
        assertThat(json(r).path("fn").asString()).isEqualTo("echo");
        assertThat(org.slf4j.MDC.get(FunctionDispatcher.MDC_REQUEST_ID)).isNull();
        assertThat(org.slf4j.MDC.get(FunctionDispatcher.MDC_FUNCTION)).isNull();
    }

    @Test
    void should_report_every_call_with_its_name_status_latency_and_body() {
        call("POST", "/echo", "ok");
        call("POST", "/echo", "bad");
        call("POST", "/echo", "boom");
        call("POST", "/nope", "");

        assertThat(calls).extracting(FunctionCall::function).containsOnly("echo");
        assertThat(calls).extracting(FunctionCall::status).containsExactly(200, 400, 500);
        assertThat(((Map<?, ?>) calls.get(0).body()).get("text")).isEqualTo("ok");
        assertThat(calls.get(1).body()).isEqualTo(new ApiError("invalid_value", "bad x", "x"));
        assertThat(calls.get(2).body()).isInstanceOf(ApiError.class);
        assertThat(calls).allSatisfy(c -> assertThat(c.latencyNanos()).isEqualTo(3_000_000));
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
    void should_hold_a_decompressed_body_s_bytes_until_the_function_has_answered() throws Exception {
        ContentEncoding encoding = ContentEncoding.of(1024 * 1024, 4 * 1024 * 1024, java.time.Duration.ZERO);
        List<Integer> availableDuringCall = new ArrayList<>();
        HttpFunction probe = new HttpFunction() {
            @Override
            public FunctionEndpoints.Endpoint endpoint() {
                return FunctionEndpoints.Endpoint.post("probe");
            }

            @Override
            public Object apply(FunctionRequest request) {
                availableDuringCall.add(encoding.available());
                return Map.of("bytes", request.body().length);
            }
        };
        FunctionDispatcher edge = new FunctionDispatcher(List.of(probe), JSON, FunctionObserver.NONE, time, encoding);
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write(new byte[100_000]);
        }

        FunctionResponse r = edge.dispatch(new FunctionRequest("POST", "/probe", Map.of("Content-Encoding", "gzip"),
                gzipped.toByteArray()));

        assertThat(json(r).path("bytes").asInt()).isEqualTo(100_000);
        assertThat(availableDuringCall).containsExactly(4 * 1024 * 1024 - 100_000);
        assertThat(encoding.available()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void should_refuse_two_functions_on_one_route() {
        assertThatThrownBy(() -> new FunctionDispatcher(List.of(new Echo(), new Echo()), JSON, FunctionObserver.NONE,
                time)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/echo");
    }

    /** A function at GET /echo beside the POST one, answering the query it was given. */
    static final class Lookup implements HttpFunction {
        @Override
        public FunctionEndpoints.Endpoint endpoint() {
            return FunctionEndpoints.Endpoint.get("echo");
        }

        @Override
        public Object apply(FunctionRequest request) {
            return Map.of("query", request.query());
        }
    }

    @Test
    void should_route_two_methods_of_one_path_to_their_own_functions_and_pass_the_query() {
        FunctionDispatcher both = new FunctionDispatcher(List.of(new Echo(), new Lookup()), JSON, calls::add, time);

        FunctionResponse got = both.dispatch(new FunctionRequest("GET", "/echo", Map.of(), new byte[0])
                .withQuery("id=ds-1&name=a%20b&id=second&flag"));
        FunctionResponse posted = both.dispatch(new FunctionRequest("POST", "/echo", Map.of(),
                "hi".getBytes(StandardCharsets.UTF_8)));
        FunctionResponse deleted = both.dispatch(new FunctionRequest("DELETE", "/echo", Map.of(), new byte[0]));

        assertThat(json(got).path("query").path("id").asString()).isEqualTo("ds-1");
        assertThat(json(got).path("query").path("name").asString()).isEqualTo("a b");
        assertThat(json(got).path("query").path("flag").asString()).isEmpty();
        assertThat(json(posted).path("text").asString()).isEqualTo("hi");
        assertThat(deleted.status()).isEqualTo(405);
        assertThat(json(deleted).path("message").asString()).contains("GET or POST");
        assertThat(both.endpoints().describe()).contains("POST /echo").contains("GET /echo");
    }

    @Test
    void should_refuse_two_functions_on_one_method_and_path() {
        assertThatThrownBy(() -> new FunctionDispatcher(List.of(new Lookup(), new Lookup()), JSON, calls::add, time))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /echo");
    }

    @Test
    void should_answer_a_functions_own_2xx_and_hand_it_the_decoded_query() {
        FunctionResponse r = dispatcher.dispatch(new FunctionRequest("POST", "/echo", Map.of(),
                "later".getBytes(StandardCharsets.UTF_8)).withQuery("id=job%201&id=2&flag"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).path("q").asString()).isEqualTo("job 1|");
        assertThat(calls.getLast().status()).isEqualTo(202);
    }

    @Test
    void should_ask_a_busy_refusal_to_come_back_in_a_second_and_not_an_outage() {
        FunctionResponse busy = call("POST", "/echo", "busy");
        FunctionResponse broken = call("POST", "/echo", "broken");
        FunctionResponse refused = dispatcher.refuse(new RequestRejected(503, "server_busy", "body", "busy"));

        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.headers()).containsEntry("Retry-After", "1");
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.headers()).doesNotContainKey("Retry-After");
    }
}
