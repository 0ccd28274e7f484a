package io.bulwark.functions.aws;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.openapi.OpenApiDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.bulwark.functions.aws.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml deploys what the code serves: the handler and its class exist, the HTTP API's routes are
 * exactly the application's {@code FunctionEndpoints}, SnapStart applies to published versions, the
 * time-out follows the request deadline, and the LLM key comes from a secret. Its routes are also those openapi.json
 * describes as functions.
 */
class SamTemplateTest {

    private static Map<String, Object> template;
    private static Map<String, Object> function;

    @BeforeAll
    static void parse() throws IOException {
        template = SamTemplate.load();
        Map<String, Map<String, Object>> functions = SamTemplate.resources(template, "AWS::Serverless::Function");
        assertThat(functions).as("one routed function serves every endpoint").hasSize(1);
        function = functions.values().iterator().next();
    }

    @Test
    void should_be_a_sam_template() {
        assertThat(template.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
    }

    @Test
    void should_name_spring_cloud_functions_invoker_as_the_handler() throws ClassNotFoundException {
        String handler = (String) function.get("Handler");

        assertThat(handler).isEqualTo(LambdaProcess.HANDLER);
        String[] parts = handler.split("::");
        assertThat(Class.forName(parts[0]).getMethods()).extracting("name").contains(parts[1]);
    }

    @Test
    void should_deploy_the_shaded_lambda_jar_on_java21_x86_64() throws IOException {
        Map<String, Object> resource = map(template, "Resources", "BulwarkFunction");
        assertThat(map(resource, "Metadata").get("BuildMethod")).isEqualTo("makefile");
        assertThat(function.get("CodeUri")).isEqualTo(".");
        // sam build runs build-<logical id>; the target must unpack the shaded jar into ARTIFACTS_DIR.
        String makefile = Files.readString(Path.of("..", "Makefile"));
        String target = makefile.substring(makefile.indexOf("build-BulwarkFunction:"));
        assertThat(target).contains("functions/target/bulwark-aws.jar").contains("$(ARTIFACTS_DIR)");
        assertThat(function.get("Runtime")).isEqualTo("java21");
        assertThat(function.get("Architectures")).isEqualTo(List.of("x86_64"));
    }

    @Test
    void should_start_the_application_and_its_gateway_function() throws ClassNotFoundException {
        Map<String, String> env = SamTemplate.literalEnvironment(function);

        assertThat(Class.forName(env.get("MAIN_CLASS"))).isEqualTo(BulwarkApplication.class);
        assertThat(env.get("SPRING_CLOUD_FUNCTION_DEFINITION")).isEqualTo(ApiGatewayFunction.NAME);
    }

    @Test
    void should_snapshot_published_versions_behind_an_alias() {
        assertThat(map(function, "SnapStart").get("ApplyOn")).isEqualTo("PublishedVersions");
        assertThat((String) function.get("AutoPublishAlias")).isNotBlank();
    }

    @Test
    void should_time_out_just_after_the_request_deadline() {
        Duration deadline = Duration.parse("PT" + SamTemplate.literalEnvironment(function)
                .get("BULWARK_SENTIMENT_DEADLINE").toUpperCase());
        Duration timeout = Duration.ofSeconds(((Number) function.get("Timeout")).longValue());

        assertThat(timeout).isGreaterThan(deadline).isLessThanOrEqualTo(deadline.plusSeconds(2));
        assertThat(((Number) function.get("MemorySize")).intValue()).isBetween(512, 10240);
    }

    @Test
    void should_take_the_llm_key_and_admin_token_from_secrets_manager_never_from_plain_text() {
        for (String secret : List.of("BULWARK_LLM_API_KEY", "BULWARK_ADMIN_TOKEN")) {
            Object value = map(function, "Environment", "Variables").get(secret);

            assertThat(value).as(secret + " as a literal in the template").isNotInstanceOf(String.class);
            assertThat(String.valueOf(value)).as(secret).contains("{{resolve:secretsmanager:");
        }
        Set<String> plainKeyNames = map(template, "Parameters").keySet().stream()
                .filter(p -> p.matches("(?i).*(api.?key|token|password)$")).collect(Collectors.toSet());
        assertThat(plainKeyNames).as("parameters that would carry a key in plain text").isEmpty();
    }

    @Test
    void should_write_files_only_under_tmp_the_one_writable_place_on_lambda() {
        Map<String, String> env = new java.util.LinkedHashMap<>(SamTemplate.literalEnvironment(function));
        // The registry: on S3 with RegistryBucket, else a folder, which must then be under /tmp too.
        Object registry = map(function, "Environment", "Variables").get("BULWARK_CLASSIFIER_REGISTRY");
        List<?> choice = (List<?>) map(registry).get("Fn::If");
        assertThat(choice.get(0)).isEqualTo("HasRegistryBucket");
        assertThat(String.valueOf(choice.get(1))).contains("s3://${RegistryBucket}/");
        env.put("BULWARK_CLASSIFIER_REGISTRY", (String) choice.get(2));

        assertThat(env).containsKeys("BULWARK_CLASSIFIER_REGISTRY", "BULWARK_PREDICTIONLOG_PATH");
        env.entrySet().stream().filter(e -> e.getKey().endsWith("_PATH") || e.getKey().endsWith("_REGISTRY")
                        || e.getKey().endsWith("_DIR"))
                .forEach(e -> assertThat(e.getValue()).as(e.getKey()).startsWith("/tmp/"));
    }

    @Test
    void should_route_exactly_the_http_contract_through_the_http_api() {
        List<String> routes = new ArrayList<>();
        map(function, "Events").values().forEach(e -> {
            assertThat(map(e).get("Type")).isEqualTo("HttpApi");
            Map<String, Object> p = map(e, "Properties");
            assertThat(p.get("PayloadFormatVersion")).isEqualTo("2.0");
            assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "BulwarkApi"));
            routes.add(p.get("Method") + " " + p.get("Path"));
        });

        List<String> expected = TestEndpoints.all().stream().map(e -> e.method() + " /" + e.name()).toList();
        assertThat(routes).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void should_route_exactly_the_functions_the_openapi_document_describes() {
        OpenApiDocument doc = OpenApiDocument.load();
        Set<String> functions = new java.util.TreeSet<>(doc.operations());
        functions.removeAll(doc.operatorPages());
        List<String> routes = new ArrayList<>();
        map(function, "Events").values().forEach(e -> {
            Map<String, Object> p = map(e, "Properties");
            routes.add(p.get("Method") + " " + p.get("Path"));
        });

        assertThat(routes).containsExactlyInAnyOrderElementsOf(functions);
    }
}
