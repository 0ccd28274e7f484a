package io.bulwark.functions.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.http.ContentEncoding;
import io.bulwark.functions.http.ContentEncodingTest;
import io.bulwark.functions.http.FunctionEndpoints;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Azure handler driven as the Azure Java worker drives it: a new handler instance, a request object,
 * the route parameter bound by name, an execution context. One Spring context serves every call.
 */
class AzureHttpFunctionIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final ExecutionContext CONTEXT = new ExecutionContext() {
        @Override
        public Logger getLogger() {
            return Logger.getLogger("bulwark");
        }

        @Override
        public String getInvocationId() {
            return "7f0e4a9c-0000-4000-8000-000000000001";
        }

        @Override
        public String getFunctionName() {
            return AzureHttpFunction.NAME;
        }
    };

    /** Calls {@code /path} as the worker does: the URI holds the raw path, {@code {*path}} binds it without the slash. */
    private static HttpResponseMessage call(HttpMethod method, String function, Map<String, String> headers, String body) {
        TestHttpRequest request = new TestHttpRequest(method, "/" + function, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        return new AzureHttpFunction().run(request, function, CONTEXT);
    }

    private static JsonNode json(HttpResponseMessage response) {
        return JSON.readTree((byte[]) response.getBody());
    }

    @Test
    void should_classify_a_posted_text() {
        HttpResponseMessage response = call(HttpMethod.POST, "sentiment",
                Map.of("content-type", "application/json"), "{\"text\": \"I love it, works great\"}");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(json(response).path("sentiment").asString()).isEqualTo("positive");
    }

    @Test
    void should_take_the_invocation_id_as_the_request_id_when_the_caller_sends_none() {
        HttpResponseMessage platform = call(HttpMethod.POST, "sentiment",
                Map.of("content-type", "application/json"), "{\"text\": \"I love it\"}");
        HttpResponseMessage caller = call(HttpMethod.POST, "sentiment",
                Map.of("content-type", "application/json", "X-Request-Id", "caller-1"), "{\"text\": \"I love it\"}");

        assertThat(platform.getHeader("X-Request-Id")).isEqualTo(CONTEXT.getInvocationId());
        assertThat(json(platform).path("request_id").asString()).isEqualTo(CONTEXT.getInvocationId());
        assertThat(caller.getHeader("X-Request-Id")).isEqualTo("caller-1");
    }

    @Test
    void should_answer_4xx_for_bad_input() {
        HttpResponseMessage empty = call(HttpMethod.POST, "sentiment", Map.of("Content-Type", "application/json"),
                "{\"text\": \"   \"}");
        HttpResponseMessage noBody = call(HttpMethod.POST, "sentiment", Map.of(), null);
        HttpResponseMessage textPlain = call(HttpMethod.POST, "sentiment", Map.of("Content-Type", "text/plain"), "hi");

        assertThat(empty.getStatusCode()).isEqualTo(400);
        assertThat(json(empty).path("error").asString()).isEqualTo("empty_field");
        assertThat(noBody.getStatusCode()).isEqualTo(400);
        assertThat(json(noBody).path("error").asString()).isEqualTo("missing_body");
        assertThat(textPlain.getStatusCode()).isEqualTo(415);
    }

    @Test
    void should_answer_404_and_405_like_the_local_runner() {
        assertThat(call(HttpMethod.POST, "nope", Map.of(), "{}").getStatusCode()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "sentiment", Map.of(), null).getStatusCode()).isEqualTo(405);
    }

    @Test
    void should_answer_a_gzip_bomb_with_413_and_error_as_an_unknown_path() {
        TestHttpRequest bomb = new TestHttpRequest(HttpMethod.POST, "/sentiment", Map.of("Content-Encoding", "gzip"),
                ContentEncodingTest.gzip(ContentEncoding.MAX_DECODED_BYTES + 1));
        HttpResponseMessage tooLarge = new AzureHttpFunction().run(bomb, "sentiment", CONTEXT);
        HttpResponseMessage error = call(HttpMethod.POST, "error", Map.of(), "{}");

        assertThat(tooLarge.getStatusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("error").asString()).isEqualTo("payload_too_large");
        assertThat(error.getStatusCode()).isEqualTo(404);
        assertThat(json(error).path("error").asString()).isEqualTo("not_found");
    }

    @Test
    void should_reach_every_function_in_the_endpoint_list() {
        for (FunctionEndpoints.Endpoint e : TestEndpoints.all()) {
            HttpResponseMessage response = call(HttpMethod.valueOf(e.method()), TestEndpoints.path(e).substring(1),
                    Map.of(), null);

            assertThat(response.getStatusCode()).as(e.toString()).isLessThan(500);
            assertThat(json(response).path("error").asString("")).as(e.toString())
                    .isNotIn("not_found", "method_not_allowed");
        }
    }

    @Test
    void should_route_a_path_of_many_segments_to_the_open_inference_protocol() {
        String penguin = "{\"inputs\": ["
                + "{\"name\": \"island\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\", \"Torgersen\"]},"
                + "{\"name\": \"bill_length_mm\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [[48.6], [39.1]]},"
                + "{\"name\": \"bill_depth_mm\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [16.0, 18.7]},"
                + "{\"name\": \"flipper_length_mm\", \"shape\": [2], \"datatype\": \"INT32\", \"data\": [230, 181]},"
                + "{\"name\": \"body_mass_g\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [5800, 3750]}]}";
        HttpResponseMessage metadata = call(HttpMethod.GET, "v2/models/penguins", Map.of(), null);
        HttpResponseMessage infer = call(HttpMethod.POST, "v2/models/penguins/versions/v1/infer",
                Map.of("content-type", "application/json"), penguin);
        HttpResponseMessage unknownVersion = call(HttpMethod.POST, "v2/models/penguins/versions/v7/infer", Map.of(),
                penguin);
        HttpResponseMessage wrongDatatype = call(HttpMethod.POST, "v2/models/penguins/infer", Map.of(),
                penguin.replace("\"INT32\"", "\"BYTES\""));

        assertThat(metadata.getStatusCode()).isEqualTo(200);
        assertThat(json(metadata).path("inputs").size()).isEqualTo(6);
        assertThat(infer.getStatusCode()).isEqualTo(200);
        assertThat(json(infer).path("model_version").asString()).isEqualTo("v1");
        assertThat(json(infer).path("outputs").get(0).path("data").toString()).isEqualTo("[\"Gentoo\",\"Adelie\"]");
        assertThat(unknownVersion.getStatusCode()).isEqualTo(404);
        assertThat(json(unknownVersion).path("error").asString()).contains("no version 'v7'");
        assertThat(wrongDatatype.getStatusCode()).isEqualTo(400);
        assertThat(json(wrongDatatype).path("error").asString()).startsWith("input 'flipper_length_mm': element 0 is a number, not a string");
    }
}
