package io.bulwark.functions.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.aws.ApiGatewayEvents.Format;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.monitoring.EmfLines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.bulwark.functions.aws.ApiGatewayEvents.JSON;
import static io.bulwark.functions.aws.ApiGatewayEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator gets in CloudWatch Logs from the Lambda path: the shaded jar under the real AWS runtime client
 * (as in {@link LambdaRuntimeIT}, with template.yaml's environment and nothing set for metrics or logging), an LLM on
 * WireMock, an API key and an admin token. Its standard output, as Lambda would ship it, must hold one CloudWatch
 * Embedded Metric Format line per call of every function, JSON log lines with each request's fields, API Gateway's
 * request id as the request's id, and neither secret.
 */
class EmfLambdaIT {

    private static final long ANSWER_SECONDS = 60;
    private static final String CHAT = "/v1/chat/completions";
    private static final String API_KEY = "sk-emf-" + UUID.randomUUID();
    private static final String ADMIN_TOKEN = "admin-emf-" + UUID.randomUUID();
    private static final WireMockServer LLM = new WireMockServer(
            WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    private static LocalRuntimeApi runtimeApi;
    private static LambdaProcess lambda;
    private static Path log;
    /** Each invocation's API Gateway request id, by what it was. */
    private static final Map<String, String> ids = new LinkedHashMap<>();
    private static final Map<String, JsonNode> responses = new LinkedHashMap<>();
    private static String output;

    @BeforeAll
    static void invokeEveryFunction() throws Exception {
        LLM.start();
        LLM.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant",
                         "content":"{\\"sentiment\\": \\"positive\\", \\"confidence\\": 0.93}"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":60,"completion_tokens":10,"total_tokens":70}}""")));
        LLM.stubFor(post(urlEqualTo(CHAT)).withRequestBody(containing("outage")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        runtimeApi = new LocalRuntimeApi();
        Map<String, String> env = new HashMap<>(SamTemplate.literalEnvironment(
                SamTemplate.resources(SamTemplate.load(), "AWS::Serverless::Function").values().iterator().next()));
        Path tmp = Files.createDirectories(Path.of("target", "emf-lambda-tmp").toAbsolutePath());
        env.replaceAll((k, v) -> v.startsWith("/tmp/") ? tmp.resolve(v.substring("/tmp/".length())).toString() : v);
        env.put("BULWARK_LLM_BASE_URL", LLM.baseUrl() + "/v1");
        env.put("BULWARK_LLM_API_KEY", API_KEY);
        env.put("BULWARK_ADMIN_TOKEN", ADMIN_TOKEN);
        // Every text to the cheap LLM first, so the LLM's answer (its cost) and its failure (a fallback) are seen.
        env.put("BULWARK_ROUTER_ENABLED", "false");
        // A cold first LLM call on a busy machine may pass the 1.2 s default: a time-out here is not what is tested.
        env.put("BULWARK_LLM_TIMEOUT", "5s");
        env.put("BULWARK_SENTIMENT_DEADLINE", "10s");
        log = Path.of("target", "emf-lambda-it.log").toAbsolutePath();
        Files.deleteIfExists(log);
        lambda = LambdaProcess.start(Path.of("target"), runtimeApi.address(), List.of(), env, log);

        for (FunctionEndpoints.Endpoint e : TestEndpoints.all()) {
            invoke(e.name(), event(Format.HTTP_API_V2, e.method(), TestEndpoints.path(e), null));
        }
        invoke("llm", event(Format.HTTP_API_V2, "POST", "/sentiment",
                "{\"text\": \"the delivery was quick and the quality is lovely " + UUID.randomUUID() + "\"}"));
        invoke("outage", event(Format.REST_API_V1, "POST", "/sentiment",
                "{\"text\": \"an outage text that the LLM refuses " + UUID.randomUUID() + "\"}"));
        invoke("admin", ApiGatewayEvents.withHeader(event(Format.HTTP_API_V2, "POST", "/promote",
                "{\"version\": \"v1\"}"), "Authorization", "Bearer " + ADMIN_TOKEN));
        invoke("wrong-admin", ApiGatewayEvents.withHeader(event(Format.HTTP_API_V2, "POST", "/promote",
                "{\"version\": \"v1\"}"), "Authorization", "Bearer " + API_KEY));
        output = awaitOutput();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (lambda != null) {
            lambda.close();
        }
        if (runtimeApi != null) {
            runtimeApi.close();
        }
        LLM.stop();
    }

    /** Invokes with a fresh API Gateway request id (as API Gateway gives each request), no X-Request-Id. */
    private static void invoke(String what, String event) throws Exception {
        String id = "Ab" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "=";
        ObjectNode node = (ObjectNode) JSON.readTree(event);
        ((ObjectNode) node.path("requestContext")).put("requestId", id);
        var answer = runtimeApi.invoke(JSON.writeValueAsString(node));
        lambda.onExit().thenRun(() -> answer.completeExceptionally(
                new IllegalStateException("the Lambda JVM exited; see " + log)));
        LocalRuntimeApi.Result result = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        assertThat(result.error()).as("the handler failed: " + result.body()).isFalse();
        ids.put(what, id);
        responses.put(what, JSON.readTree(result.body()));
    }

    /** The output once it holds the last invocation's EMF line (stdout is written as the calls end). */
    private static String awaitOutput() throws Exception {
        String last = ids.get("wrong-admin");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.readString(log, StandardCharsets.UTF_8);
            if (EmfLines.in(text).stream().anyMatch(l -> last.equals(l.path("request_id").asString("")))) {
                return text;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return text;
    }

    private static JsonNode emfLine(String what) {
        String id = ids.get(what);
        List<JsonNode> lines = EmfLines.in(output).stream()
                .filter(l -> id.equals(l.path("request_id").asString(""))).toList();
        assertThat(lines).as("one EMF line for " + what + " (request " + id + ")").hasSize(1);
        return lines.getFirst();
    }

    /** The JSON log lines (Spring Boot's ECS format): every line that is a JSON object and not an EMF line. */
    private static List<JsonNode> logLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{") && !line.contains("\"_aws\"")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void should_write_one_emf_line_cloudwatch_parses_for_a_call_of_every_function() {
        for (FunctionEndpoints.Endpoint e : TestEndpoints.all()) {
            JsonNode line = emfLine(e.name());

            EmfLines.assertCallLine(line, "Bulwark");
            assertThat(line.path("Function").asString()).as(e.toString()).isEqualTo(e.name());
            int status = responses.get(e.name()).path("statusCode").asInt();
            assertThat(line.path("status").asInt()).as(e.toString()).isEqualTo(status);
            assertThat(line.path("ClientErrors").asInt()).as(e.toString()).isEqualTo(status / 100 == 4 ? 1 : 0);
            assertThat(line.path("Errors").asInt()).as(e.toString()).isZero();
        }
    }

    @Test
    void should_carry_the_llm_answers_tier_model_and_cost_and_the_breakers_state() {
        JsonNode llm = emfLine("llm");

        assertThat(llm.path("status").asInt()).isEqualTo(200);
        assertThat(llm.path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(llm.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(llm.path("CostUsd").asDouble()).isPositive();
        assertThat(llm.path("Degraded").asInt()).isZero();
        List<JsonNode> breakers = EmfLines.in(output).stream().filter(l -> l.has("BreakerOpen")).toList();
        assertThat(breakers).isNotEmpty().allSatisfy(b -> EmfLines.assertBreakerLine(b, "Bulwark"));
        assertThat(breakers).extracting(b -> b.path("Model").asString()).contains("gpt-4o-mini");
        LLM.verify(postRequestedFor(urlEqualTo(CHAT)).withHeader("Authorization", equalTo("Bearer " + API_KEY)));
    }

    @Test
    void should_count_a_fallback_after_an_llm_outage_as_degraded_not_as_an_error() {
        JsonNode outage = emfLine("outage");

        assertThat(outage.path("status").asInt()).isEqualTo(200);
        assertThat(outage.path("fallback").asString()).isNotBlank();
        assertThat(outage.path("Degraded").asInt()).isEqualTo(1);
        assertThat(outage.path("Errors").asInt()).isZero();
    }

    @Test
    void should_answer_with_api_gateways_request_id_when_the_caller_sends_none() {
        ids.forEach((what, id) -> assertThat(responses.get(what).path("headers").path("X-Request-Id").asString())
                .as(what).isEqualTo(id));
    }

    @Test
    void should_write_json_log_lines_with_each_requests_fields() {
        List<JsonNode> lines = logLines();
        assertThat(lines).as("JSON log lines in " + log).hasSizeGreaterThan(5);
        List<JsonNode> requests = lines.stream().filter(l -> l.has("request_id") && l.has("latency_ms")).toList();
        for (String what : ids.keySet()) {
            String id = ids.get(what);
            List<JsonNode> mine = requests.stream().filter(l -> id.equals(l.path("request_id").asString())).toList();
            assertThat(mine).as("the request line of " + what).hasSize(1);
            assertThat(mine.getFirst().path("function").asString()).isNotBlank();
            assertThat(mine.getFirst().path("status").asInt()).isEqualTo(responses.get(what).path("statusCode").asInt());
        }
        JsonNode llm = requests.stream().filter(l -> ids.get("llm").equals(l.path("request_id").asString()))
                .findFirst().orElseThrow();
        assertThat(llm.path("function").asString()).isEqualTo("sentiment");
        assertThat(llm.path("tier").asString()).isEqualTo("llm-cheap");
        assertThat(llm.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(llm.path("cost_usd").asDouble()).isPositive();
        assertThat(llm.path("latency_ms").isNumber()).isTrue();
        assertThat(llm.path("latency_ms").asDouble()).isPositive();
        JsonNode outage = requests.stream().filter(l -> ids.get("outage").equals(l.path("request_id").asString()))
                .findFirst().orElseThrow();
        assertThat(outage.path("fallback").asString()).isNotBlank();
    }

    @Test
    void should_never_write_the_api_key_or_the_admin_token() {
        assertThat(responses.get("admin").path("statusCode").asInt()).as("the admin token was accepted: "
                + responses.get("admin")).isNotIn(401, 403);
        assertThat(responses.get("wrong-admin").path("statusCode").asInt()).isEqualTo(401);
        assertThat(output).contains(ids.get("admin")).doesNotContain(API_KEY).doesNotContain(ADMIN_TOKEN);
    }
}
