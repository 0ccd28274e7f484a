package io.bulwark.functions.aws;

import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.aws.ApiGatewayEvents.Format;
import io.bulwark.functions.http.ContentEncoding;
import io.bulwark.functions.http.ContentEncodingTest;
import io.bulwark.functions.http.FunctionEndpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.bulwark.functions.aws.ApiGatewayEvents.JSON;
import static io.bulwark.functions.aws.ApiGatewayEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud Function's {@code FunctionInvoker}, the Lambda handler named in template.yaml, driven
 * in-process with API Gateway events made from the SAM CLI's templates, in both payload formats.
 */
class FunctionInvokerIT {

    private static FunctionInvoker invoker;

    @BeforeAll
    static void start() {
        // On Lambda, template.yaml sets MAIN_CLASS (SamTemplateTest checks it names this class).
        System.setProperty("MAIN_CLASS", LambdaApplication.class.getName());
        invoker = new FunctionInvoker();
    }

    @AfterAll
    static void clear() {
        System.clearProperty("MAIN_CLASS");
    }

    /** Invokes the handler as the Lambda runtime does: the event's bytes in, the response's bytes out. */
    static JsonNode invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext());
        return JSON.readTree(out.toByteArray());
    }

    static JsonNode body(JsonNode response) {
        return JSON.readTree(response.path("body").asString());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_classify_the_fixture_event_with_its_base64_body_decoded(Format format) throws IOException {
        JsonNode response = invoke(ApiGatewayEvents.fixture(format));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(body(response).path("sentiment").asString()).isEqualTo("positive");
        // The local model answers (no LLM is configured here), or the cache with the local model's answer.
        assertThat(body(response).path("model_used").asString()).startsWith("local-");
        assertThat(response.path("isBase64Encoded").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_read_a_plain_body_when_the_event_is_not_base64_encoded(Format format) throws IOException {
        JsonNode response = invoke(event(format, "POST", "/sentiment", "{\"text\": \"awful, it broke at once\"}", false));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(body(response).path("sentiment").asString()).isEqualTo("negative");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_only_the_content_type_and_request_id_headers(Format format) throws IOException {
        JsonNode response = invoke(ApiGatewayEvents.fixture(format));

        List<String> names = new ArrayList<>(response.path("headers").propertyNames());
        assertThat(names).containsExactlyInAnyOrder("Content-Type", "X-Request-Id");
        assertThat(response.path("headers").path("Content-Type").asString()).isEqualTo("application/json");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_400_naming_the_field_for_bad_input(Format format) throws IOException {
        JsonNode response = invoke(event(format, "POST", "/sentiment", "{\"text\": \"\"}"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(response).path("error").asString()).isEqualTo("empty_field");
        assertThat(body(response).path("field").asString()).isEqualTo("text");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_400_for_malformed_json(Format format) throws IOException {
        JsonNode response = invoke(event(format, "POST", "/sentiment", "{\"text\": \"unterminated"));

        assertThat(response.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(response).path("error").asString()).isEqualTo("malformed_json");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_415_for_an_unsupported_content_type(Format format) throws IOException {
        String event = ApiGatewayEvents.withHeader(
                event(format, "POST", "/sentiment", "I love it"), "Content-Type", "text/plain");

        JsonNode response = invoke(event);

        assertThat(response.path("statusCode").asInt()).isEqualTo(415);
        assertThat(body(response).path("field").asString()).isEqualTo("Content-Type");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_400_when_a_base64_flagged_body_is_not_base64(Format format) throws IOException {
        String event = event(format, "POST", "/sentiment", "{\"text\": \"hi\"}", false).replace(
                "\"isBase64Encoded\":false", "\"isBase64Encoded\":true");

        JsonNode response = invoke(event);

        assertThat(response.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(response).path("field").asString()).isEqualTo("body");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_413_in_the_contract_json_for_a_gzip_bomb(Format format) throws IOException {
        byte[] bomb = ContentEncodingTest.gzip(ContentEncoding.MAX_DECODED_BYTES + 1);
        tools.jackson.databind.node.ObjectNode event = (tools.jackson.databind.node.ObjectNode) JSON.readTree(
                ApiGatewayEvents.withHeader(event(format, "POST", "/sentiment", "x"), "Content-Encoding", "gzip"));
        event.put("body", java.util.Base64.getEncoder().encodeToString(bomb));
        event.put("isBase64Encoded", true);

        JsonNode response = invoke(JSON.writeValueAsString(event));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(413);
        assertThat(body(response).path("error").asString()).isEqualTo("payload_too_large");
        assertThat(body(response).path("field").asString()).isEqualTo("body");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_error_as_an_unknown_path(Format format) throws IOException {
        JsonNode response = invoke(event(format, "POST", "/error", "{}"));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(404);
        assertThat(body(response).path("error").asString()).isEqualTo("not_found");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_404_for_an_unknown_path_and_405_for_a_wrong_method(Format format) throws IOException {
        JsonNode unknown = invoke(event(format, "POST", "/nope", "{}"));
        JsonNode wrongMethod = invoke(event(format, "GET", "/sentiment", null));

        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
        assertThat(body(unknown).path("error").asString()).isEqualTo("not_found");
        assertThat(wrongMethod.path("statusCode").asInt()).isEqualTo(405);
        assertThat(body(wrongMethod).path("error").asString()).isEqualTo("method_not_allowed");
    }

    @Test
    void should_not_let_a_routing_header_pick_another_function() throws IOException {
        // With no definition the invoker's RoutingFunction would obey this header and call any bean.
        String event = ApiGatewayEvents.withHeader(ApiGatewayEvents.fixture(Format.HTTP_API_V2),
                "spring.cloud.function.definition", "functionRouter");

        JsonNode response = invoke(event);

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(body(response).path("sentiment").asString()).isEqualTo("positive");
    }

    @Test
    void should_strip_a_named_stage_from_the_http_api_raw_path() throws IOException {
        String event = event(Format.HTTP_API_V2, "POST", "/prod/sentiment", "{\"text\": \"great\"}")
                .replace("\"stage\":\"$default\"", "\"stage\":\"prod\"");

        assertThat(invoke(event).path("statusCode").asInt()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_reach_every_function_in_the_endpoint_list(Format format) throws IOException {
        // An empty body: each function answers for itself (2xx, or its own 4xx), never the router's 404/405.
        for (FunctionEndpoints.Endpoint e : TestEndpoints.all()) {
            JsonNode response = invoke(event(format, e.method(), TestEndpoints.path(e), null));

            assertThat(response.path("statusCode").asInt()).as(e + ": " + response).isLessThan(500);
            assertThat(body(response).path("error").asString("")).as(e + ": " + response)
                    .isNotIn("not_found", "method_not_allowed");
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_infer_from_the_fixture_event_of_a_route_with_a_path_variable_as_predict_answers(Format format)
            throws IOException {
        JsonNode v2 = invoke(ApiGatewayEvents.inferEvent(format, "penguins", null));
        JsonNode predict = invoke(event(format, "POST", "/predict", "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6,"
                + " \"bill_depth_mm\": 16.0, \"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}"));

        assertThat(v2.path("statusCode").asInt()).as(v2.toString()).isEqualTo(200);
        JsonNode answer = body(v2);
        JsonNode expected = body(predict);
        assertThat(answer.path("model_name").asString()).isEqualTo("penguins");
        assertThat(answer.path("outputs").get(0).path("data").get(0).asString())
                .isEqualTo(expected.path("prediction").asString()).isEqualTo("Gentoo");
        List<Double> probabilities = new ArrayList<>();
        answer.path("outputs").get(1).path("data").forEach(d -> probabilities.add(d.asDouble()));
        assertThat(probabilities).containsExactly(expected.path("probabilities").path("Adelie").asDouble(),
                expected.path("probabilities").path("Chinstrap").asDouble(),
                expected.path("probabilities").path("Gentoo").asDouble());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_an_unknown_model_and_a_bad_tensor_in_the_protocols_error_form(Format format) throws IOException {
        JsonNode unknown = invoke(ApiGatewayEvents.inferEvent(format, "cats", null));
        JsonNode badShape = invoke(ApiGatewayEvents.inferEvent(format, "penguins", "{\"inputs\": [{\"name\": \"island\","
                + " \"shape\": [1, 2], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\", \"Dream\"]}]}"));

        assertThat(unknown.path("statusCode").asInt()).as(unknown.toString()).isEqualTo(404);
        assertThat(body(unknown).propertyNames()).containsExactly("error");
        assertThat(body(unknown).path("error").asString()).contains("'cats'");
        assertThat(badShape.path("statusCode").asInt()).as(badShape.toString()).isEqualTo(400);
        assertThat(body(badShape).path("error").asString()).startsWith("input 'island' has shape [1, 2]");
    }
}
