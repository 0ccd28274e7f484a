package io.bulwark.functions.aws;

import io.bulwark.functions.aws.ApiGatewayEvents.Format;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.bulwark.functions.aws.ApiGatewayEvents.JSON;
import static io.bulwark.functions.aws.ApiGatewayEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on the Lambda path without Docker: the shaded {@code target/bulwark-aws.jar} runs in its own
 * JVM under the real AWS runtime interface client, with template.yaml's environment, against a
 * {@link LocalRuntimeApi} on loopback that hands it API Gateway events.
 */
class LambdaRuntimeIT {

    private static final long ANSWER_SECONDS = 60;
    private static LocalRuntimeApi runtimeApi;
    private static LambdaProcess lambda;

    @BeforeAll
    static void start() throws Exception {
        runtimeApi = new LocalRuntimeApi();
        Map<String, String> env = new HashMap<>(SamTemplate.literalEnvironment(
                SamTemplate.resources(SamTemplate.load(), "AWS::Serverless::Function").values().iterator().next()));
        // Lambda's /tmp is the instance's own: give this run its own too.
        Path tmp = Files.createDirectories(Path.of("target", "lambda-tmp").toAbsolutePath());
        env.replaceAll((k, v) -> v.startsWith("/tmp/") ? tmp.resolve(v.substring("/tmp/".length())).toString() : v);
        Path log = Files.createDirectories(Path.of("target")).resolve("lambda-runtime-it.log");
        lambda = LambdaProcess.start(Path.of("target"), runtimeApi.address(), List.of(), env, log);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (lambda != null) {
            lambda.close();
        }
        if (runtimeApi != null) {
            runtimeApi.close();
        }
    }

    private static JsonNode invoke(String event) throws Exception {
        var answer = runtimeApi.invoke(event);
        // Fail at once, not after the time-out, if the JVM dies.
        lambda.onExit().thenRun(() -> answer.completeExceptionally(
                new IllegalStateException("the Lambda JVM exited; see target/lambda-runtime-it.log")));
        LocalRuntimeApi.Result result = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        assertThat(result.error()).as("the handler failed: " + result.body()).isFalse();
        return JSON.readTree(result.body());
    }

    private static JsonNode body(JsonNode response) {
        return JSON.readTree(response.path("body").asString());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_the_sam_event_with_a_proxy_response(Format format) throws Exception {
        JsonNode response = invoke(ApiGatewayEvents.fixture(format));

        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(body(response).path("sentiment").asString()).isEqualTo("positive");
        assertThat(response.propertyNames()).containsExactlyInAnyOrder(
                "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");
        assertThat(response.path("isBase64Encoded").isBoolean()).isTrue();
        assertThat(response.path("headers").propertyNames()).containsExactlyInAnyOrder("Content-Type", "X-Request-Id");
        assertThat(response.path("headers").path("X-Request-Id").asString())
                .isEqualTo(body(response).path("request_id").asString());
        assertThat(response.path("multiValueHeaders").isObject()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_answer_4xx_for_bad_input_not_200_or_500(Format format) throws Exception {
        JsonNode missing = invoke(event(format, "POST", "/sentiment", "{\"user_id\": \"u1\"}"));
        JsonNode tooLong = invoke(event(format, "POST", "/sentiment", "{\"text\": \"" + "a".repeat(1001) + "\"}"));
        JsonNode unknown = invoke(event(format, "POST", "/nope", "{}"));

        assertThat(missing.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(missing).path("error").asString()).isEqualTo("missing_field");
        assertThat(tooLong.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(tooLong).path("error").asString()).isEqualTo("too_long");
        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void should_infer_through_a_route_with_a_path_variable_in_the_packaged_jar(Format format) throws Exception {
        JsonNode infer = invoke(ApiGatewayEvents.inferEvent(format, "penguins", null));
        JsonNode unknown = invoke(ApiGatewayEvents.inferEvent(format, "cats", null));
        JsonNode server = invoke(event(format, "GET", "/v2", null));

        assertThat(infer.path("statusCode").asInt()).as(infer.toString()).isEqualTo(200);
        assertThat(body(infer).path("outputs").get(0).path("data").get(0).asString()).isEqualTo("Gentoo");
        assertThat(unknown.path("statusCode").asInt()).as(unknown.toString()).isEqualTo(404);
        assertThat(body(unknown).propertyNames()).containsExactly("error");
        // The packaged jar knows its version (from Maven's pom.properties); only a run from classes says "dev".
        assertThat(body(server).path("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void should_answer_400_for_an_event_that_is_not_from_api_gateway() throws Exception {
        JsonNode response = invoke("{\"Records\": []}");

        assertThat(response.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(response).path("error").asString()).isEqualTo("unsupported_event");
    }

    @Test
    void should_keep_serving_after_many_invocations() throws Exception {
        for (int i = 0; i < 20; i++) {
            JsonNode response = invoke(event(Format.HTTP_API_V2, "POST", "/sentiment",
                    "{\"text\": \"request number " + i + " was great\"}"));
            assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        }
        assertThat(lambda.isAlive()).isTrue();
    }
}
