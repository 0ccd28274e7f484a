package io.bulwark.functions.aws;

import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.monitoring.AlertRules;
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
 * describes as functions. Training has a function of its own; the admin functions' routes sit behind the
 * parameterised authorizer, every route behind the stage's throttling; seed 003's alert rules are CloudWatch alarms on
 * the EMF metrics, notifying the SNS topic parameter.
 */
class SamTemplateTest {

    private static Map<String, Object> template;
    private static Map<String, Object> function;
    private static Map<String, Object> train;

    @BeforeAll
    static void parse() throws IOException {
        template = SamTemplate.load();
        Map<String, Map<String, Object>> functions = SamTemplate.resources(template, "AWS::Serverless::Function");
        assertThat(functions).as("one routed function serves every endpoint but training's")
                .containsOnlyKeys("BulwarkFunction", "TrainFunction");
        function = functions.get("BulwarkFunction");
        train = functions.get("TrainFunction");
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

        assertThat(Class.forName(env.get("MAIN_CLASS"))).isEqualTo(LambdaApplication.class);
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
    void should_log_predictions_to_postgresql_only_when_a_url_is_given_with_the_user_from_secrets_manager() {
        Map<String, Object> env = map(function, "Environment", "Variables");
        assertThat(map(template, "Conditions", "HasPostgresLog").toString()).contains("PredictionLogPostgresUrl");
        assertThat(map(env.get("BULWARK_PREDICTIONLOG_BACKEND")).get("Fn::If"))
                .isEqualTo(List.of("HasPostgresLog", "postgres", Map.of("Ref", "AWS::NoValue")));
        assertThat(map(env.get("BULWARK_PREDICTIONLOG_POSTGRES_URL")).get("Fn::If"))
                .isEqualTo(List.of("HasPostgresLog", Map.of("Ref", "PredictionLogPostgresUrl"),
                        Map.of("Ref", "AWS::NoValue")));
        for (String key : List.of("username", "password")) {
            String variable = "BULWARK_PREDICTIONLOG_POSTGRES_" + key.toUpperCase();
            List<?> choice = (List<?>) map(env.get(variable)).get("Fn::If");
            assertThat(choice.get(0)).as(variable).isEqualTo("HasPostgresLog");
            assertThat(String.valueOf(choice.get(1))).as(variable)
                    .contains("{{resolve:secretsmanager:${PredictionLogPostgresSecret}:SecretString:" + key + "}}");
        }
        // RDS lives in a VPC as ElastiCache does: either server puts the function in the given subnets.
        assertThat((List<?>) map(function, "VpcConfig").get("Fn::If")).first().isEqualTo("InVpc");
        assertThat(map(template, "Conditions", "InVpc").toString())
                .contains("HasRedis").contains("HasPostgresLog");
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
        for (Map<String, Object> f : List.of(function, train)) {
            map(f, "Events").values().forEach(e -> {
                assertThat(map(e).get("Type")).isEqualTo("HttpApi");
                Map<String, Object> p = map(e, "Properties");
                assertThat(p.get("PayloadFormatVersion")).isEqualTo("2.0");
                assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "BulwarkApi"));
                routes.add(p.get("Method") + " " + p.get("Path"));
            });
        }
        adminRoutes().values().forEach(r -> {
            assertThat(r.get("ApiId")).isEqualTo(Map.of("Ref", "BulwarkApi"));
            routes.add((String) r.get("RouteKey"));
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
        for (Map<String, Object> f : List.of(function, train)) {
            map(f, "Events").values().forEach(e -> {
                Map<String, Object> p = map(e, "Properties");
                routes.add(p.get("Method") + " " + p.get("Path"));
            });
        }
        adminRoutes().values().forEach(r -> routes.add((String) r.get("RouteKey")));

        assertThat(routes).containsExactlyInAnyOrderElementsOf(functions);
    }

    @Test
    void should_configure_azure_as_it_configures_lambda() throws IOException {
        // azure/azuredeploy.json gives the function app the same bulwark.* settings (as environment variables); the
        // EMF namespace is CloudWatch's alone.
        tools.jackson.databind.JsonNode arm = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(Files.readString(Path.of("..", "azure", "azuredeploy.json")));
        Set<String> azure = new java.util.TreeSet<>();
        arm.path("resources").forEach(r -> r.path("properties").path("siteConfig").path("appSettings")
                .forEach(setting -> azure.add(setting.path("name").asString())));
        Set<String> lambda = map(function, "Environment", "Variables").keySet().stream()
                .filter(k -> k.startsWith("BULWARK_") && !k.equals("BULWARK_METRICS_EMF_NAMESPACE"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));

        assertThat(lambda).isNotEmpty();
        assertThat(azure).containsAll(lambda);
    }

    // --- guarded routes ---

    /** The ApiGatewayV2 routes written as resources (the admin routes), by logical id. */
    private static Map<String, Map<String, Object>> adminRoutes() {
        return SamTemplate.resources(template, "AWS::ApiGatewayV2::Route");
    }

    @Test
    void should_put_exactly_the_admin_functions_behind_the_parameterised_authorizer() {
        Set<String> admin = TestEndpoints.admin().stream().map(e -> e.method() + " /" + e.name())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(admin).as("AdminFunction's subclasses").contains("POST /train", "POST /promote", "POST /rollback");

        Map<String, Map<String, Object>> routes = adminRoutes();
        assertThat(routes.values()).extracting(r -> (String) r.get("RouteKey"))
                .as("the routes behind the authorizer").containsExactlyInAnyOrderElementsOf(admin);
        for (Map<String, Object> route : routes.values()) {
            assertThat(route.get("AuthorizationType")).as(route.get("RouteKey").toString()).isEqualTo(Map.of("Fn::If",
                    List.of("AdminIam", "AWS_IAM", Map.of("Fn::If", List.of("AdminJwt", "JWT", "NONE")))));
            assertThat(route.get("AuthorizerId")).isEqualTo(Map.of("Fn::If",
                    List.of("AdminJwt", Map.of("Ref", "AdminJwtAuthorizer"), Map.of("Ref", "AWS::NoValue"))));
        }
        // No admin route may also be a SAM event: that one would have no authorizer.
        for (Map<String, Object> f : List.of(function, train)) {
            map(f, "Events").values().forEach(e -> assertThat(admin)
                    .doesNotContain(map(e, "Properties").get("Method") + " " + map(e, "Properties").get("Path")));
        }
    }

    @Test
    void should_choose_iam_jwt_or_none_by_parameter_with_iam_by_default() {
        Map<String, Object> parameter = map(template, "Parameters", "AdminAuthorizer");
        assertThat(parameter.get("AllowedValues")).isEqualTo(List.of("IAM", "JWT", "NONE"));
        assertThat(parameter.get("Default")).isEqualTo("IAM");
        Map<String, Object> conditions = map(template, "Conditions");
        assertThat(conditions.get("AdminIam")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "AdminAuthorizer"), "IAM")));
        assertThat(conditions.get("AdminJwt")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "AdminAuthorizer"), "JWT")));

        Map<String, Object> authorizer = map(template, "Resources", "AdminJwtAuthorizer");
        assertThat(authorizer.get("Type")).isEqualTo("AWS::ApiGatewayV2::Authorizer");
        assertThat(authorizer.get("Condition")).isEqualTo("AdminJwt");
        Map<String, Object> p = map(authorizer, "Properties");
        assertThat(p.get("AuthorizerType")).isEqualTo("JWT");
        assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "BulwarkApi"));
        assertThat(map(p, "JwtConfiguration")).isEqualTo(Map.of("Issuer", Map.of("Ref", "AdminJwtIssuer"),
                "Audience", Map.of("Ref", "AdminJwtAudience")));
        assertThat(map(template, "Parameters", "AdminJwtAudience").get("Type")).isEqualTo("CommaDelimitedList");
        // A JWT authorizer without an issuer is refused before anything is created.
        assertThat(String.valueOf(map(template, "Rules"))).contains("AdminJwtIssuer");
    }

    @Test
    void should_integrate_each_admin_route_with_a_published_alias_the_api_may_invoke() {
        Map<String, Map<String, Object>> integrations = SamTemplate.resources(template, "AWS::ApiGatewayV2::Integration");
        Map<String, Map<String, Object>> permissions = SamTemplate.resources(template, "AWS::Lambda::Permission");
        Set<Object> invocable = permissions.values().stream()
                .peek(p -> assertThat(String.valueOf(p.get("SourceArn"))).contains("${BulwarkApi}/*"))
                .map(p -> p.get("FunctionName")).collect(Collectors.toSet());
        adminRoutes().values().forEach(route -> {
            String target = (String) map(route, "Target").get("Fn::Sub");
            String integrationId = target.replace("integrations/${", "").replace("}", "");
            Map<String, Object> integration = integrations.get(integrationId);
            assertThat(integration).as(route.get("RouteKey") + " -> " + target).isNotNull();
            assertThat(integration.get("IntegrationType")).isEqualTo("AWS_PROXY");
            assertThat(integration.get("PayloadFormatVersion")).isEqualTo("2.0");
            assertThat(invocable).as("a permission for " + integration.get("IntegrationUri"))
                    .contains(integration.get("IntegrationUri"));
        });
        // Training and tuning go to the training function, promotion to the serving one.
        assertThat(integrationOf("POST /train")).isEqualTo(Map.of("Ref", "TrainFunctionAliaslive"));
        assertThat(integrationOf("POST /tune")).isEqualTo(Map.of("Ref", "TrainFunctionAliaslive"));
        assertThat(integrationOf("POST /promote")).isEqualTo(Map.of("Ref", "BulwarkFunctionAliaslive"));
    }

    private static Object integrationOf(String routeKey) {
        Map<String, Object> route = adminRoutes().values().stream().filter(r -> routeKey.equals(r.get("RouteKey")))
                .findFirst().orElseThrow();
        String id = ((String) map(route, "Target").get("Fn::Sub")).replace("integrations/${", "").replace("}", "");
        return map(template, "Resources", id, "Properties").get("IntegrationUri");
    }

    @Test
    void should_throttle_every_route_on_the_stage_by_parameter() {
        Map<String, Object> settings = map(template, "Resources", "BulwarkApi", "Properties", "DefaultRouteSettings");
        assertThat(settings).isEqualTo(Map.of("ThrottlingRateLimit", Map.of("Ref", "ThrottlingRateLimit"),
                "ThrottlingBurstLimit", Map.of("Ref", "ThrottlingBurstLimit")));
        for (String name : List.of("ThrottlingRateLimit", "ThrottlingBurstLimit")) {
            Map<String, Object> parameter = map(template, "Parameters", name);
            assertThat(parameter.get("Type")).isEqualTo("Number");
            assertThat(((Number) parameter.get("Default")).intValue()).as(name).isPositive();
        }
    }

    @Test
    void should_reserve_concurrency_only_when_a_number_is_given() {
        for (var entry : Map.of("ReservedConcurrency", function, "TrainReservedConcurrency", train).entrySet()) {
            String name = entry.getKey();
            String condition = "Has" + name;
            assertThat(entry.getValue().get("ReservedConcurrentExecutions")).isEqualTo(Map.of("Fn::If",
                    List.of(condition, Map.of("Ref", name), Map.of("Ref", "AWS::NoValue"))));
            assertThat(map(template, "Conditions").get(condition)).isEqualTo(
                    Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", name), "-1")))));
            assertThat(map(template, "Parameters", name).get("Default")).isEqualTo(-1);
        }
    }

    @Test
    void should_train_in_a_function_of_its_own_with_more_memory_and_a_longer_time_out() throws IOException {
        // The same code, handler and everything it reads: only the sizes differ.
        for (String key : List.of("CodeUri", "Handler", "Runtime", "Architectures", "SnapStart", "AutoPublishAlias",
                "Policies", "VpcConfig", "Environment")) {
            assertThat(train.get(key)).as("TrainFunction's " + key + " (keep it equal to BulwarkFunction's)")
                    .isEqualTo(function.get(key));
        }
        assertThat(map(template, "Resources", "TrainFunction", "Metadata").get("BuildMethod")).isEqualTo("makefile");
        String makefile = Files.readString(Path.of("..", "Makefile"));
        assertThat(makefile).containsPattern("(?m)^build-TrainFunction: build-BulwarkFunction$");

        assertThat(train.get("MemorySize")).isEqualTo(Map.of("Ref", "TrainMemorySize"));
        int memory = ((Number) map(template, "Parameters", "TrainMemorySize").get("Default")).intValue();
        assertThat(memory).isGreaterThanOrEqualTo(2 * ((Number) function.get("MemorySize")).intValue());
        int timeout = ((Number) train.get("Timeout")).intValue();
        // API Gateway's HTTP API waits 30 s for an integration at most: a longer time-out would answer no one.
        assertThat(timeout).isGreaterThan(((Number) function.get("Timeout")).intValue()).isLessThan(30);
        assertThat(map(template, "Resources", "TrainIntegration", "Properties").get("TimeoutInMillis"))
                .isEqualTo(30000);
        // Jobs are read where they run.
        assertThat(map(train, "Events").values()).extracting(e -> map(e, "Properties").get("Path")).contains("/jobs");
    }

    // --- alarms (seed 003's rules on the EMF metrics) ---

    /** The metrics the functions write in Embedded Metric Format (the shared EMF contract). */
    private static final Set<String> EMF_METRICS = Set.of("Latency", "Requests", "Errors", "ClientErrors", "Degraded",
            "CostUsd", "CacheHits", "BreakerOpen");

    private static Map<String, Map<String, Object>> alarms() {
        return SamTemplate.resources(template, "AWS::CloudWatch::Alarm");
    }

    /** The metrics an alarm reads (one, or the MetricStats of its metric math), as name → stat. */
    private static Map<String, String> metricsOf(Map<String, Object> alarm) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (alarm.get("MetricName") != null) {
            assertThat(alarm.get("Namespace")).isEqualTo(Map.of("Ref", "MetricsNamespace"));
            out.put((String) alarm.get("MetricName"), (String) alarm.get("Statistic"));
        } else {
            for (Object m : (List<?>) alarm.get("Metrics")) {
                Map<String, Object> stat = map(m, "MetricStat");
                if (stat != null) {
                    assertThat(map(stat, "Metric").get("Namespace")).isEqualTo(Map.of("Ref", "MetricsNamespace"));
                    out.put((String) map(stat, "Metric").get("MetricName"), (String) stat.get("Stat"));
                }
            }
        }
        assertThat(EMF_METRICS).as("metrics the functions write").containsAll(out.keySet());
        return out;
    }

    private static List<Map<String, Object>> alarmsOn(String metric) {
        return alarms().values().stream().filter(a -> metricsOf(a).containsKey(metric)).toList();
    }

    /** The value of the Function (or Model) dimension of an alarm's metrics. */
    private static Set<Object> dimension(Map<String, Object> alarm, String name) {
        List<Object> dimensions = new ArrayList<>();
        if (alarm.get("Dimensions") != null) {
            dimensions.addAll((List<?>) alarm.get("Dimensions"));
        } else {
            for (Object m : (List<?>) alarm.get("Metrics")) {
                if (map(m, "MetricStat") != null) {
                    dimensions.addAll((List<?>) map(m, "MetricStat", "Metric").get("Dimensions"));
                }
            }
        }
        return dimensions.stream().filter(d -> name.equals(map(d).get("Name"))).map(d -> map(d).get("Value"))
                .collect(Collectors.toSet());
    }

    private static String expression(Map<String, Object> alarm) {
        return ((List<?>) alarm.get("Metrics")).stream().map(m -> map(m))
                .filter(m -> Boolean.TRUE.equals(m.get("ReturnData"))).map(m -> (String) m.get("Expression"))
                .findFirst().orElseThrow();
    }

    private static double threshold(Map<String, Object> alarm) {
        return ((Number) alarm.get("Threshold")).doubleValue();
    }

    @Test
    void should_alarm_when_p95_latency_is_over_2_s_on_each_served_function() {
        List<Map<String, Object>> latency = alarmsOn("Latency");
        Set<String> functions = TestEndpoints.all().stream().map(e -> e.name()).collect(Collectors.toSet());
        Set<Object> covered = new java.util.TreeSet<>();
        for (Map<String, Object> alarm : latency) {
            assertThat(metricsOf(alarm).get("Latency")).isEqualTo("p95");
            assertThat(threshold(alarm)).isEqualTo(AlertRules.DEFAULT_LATENCY_P95_MS);
            assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
            assertThat(expression(alarm)).contains("p95");
            covered.addAll(dimension(alarm, "Function"));
        }
        assertThat(functions).containsAll(covered.stream().map(String::valueOf).toList());
        assertThat(covered).contains("sentiment", "predict", "digits");
    }

    @Test
    void should_alarm_when_more_than_5_percent_of_calls_fail() {
        List<Map<String, Object>> errors = alarmsOn("Errors");
        assertThat(errors).isNotEmpty();
        Set<Object> covered = new java.util.TreeSet<>();
        for (Map<String, Object> alarm : errors) {
            assertThat(metricsOf(alarm)).containsEntry("Errors", "Sum").containsEntry("Requests", "Sum");
            assertThat(expression(alarm)).contains("errors / requests");
            assertThat(threshold(alarm)).isEqualTo(AlertRules.DEFAULT_ERROR_RATE);
            assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
            covered.addAll(dimension(alarm, "Function"));
        }
        assertThat(covered).contains("sentiment", "predict", "digits");
    }

    @Test
    void should_alarm_when_a_sentiment_call_costs_more_than_10_cents_on_average() {
        List<Map<String, Object>> cost = alarmsOn("CostUsd");
        assertThat(cost).hasSize(1);
        Map<String, Object> alarm = cost.getFirst();
        assertThat(metricsOf(alarm)).containsEntry("CostUsd", "Sum").containsEntry("Requests", "Sum");
        assertThat(expression(alarm)).contains("cost / requests");
        assertThat(threshold(alarm)).isEqualTo(AlertRules.DEFAULT_COST_PER_REQUEST_USD);
        assertThat(dimension(alarm, "Function")).containsExactly("sentiment");
    }

    @Test
    void should_alarm_when_any_llm_breaker_is_open() {
        List<Map<String, Object>> breakers = alarmsOn("BreakerOpen");
        Set<Object> models = new java.util.HashSet<>();
        for (Map<String, Object> alarm : breakers) {
            assertThat(alarm.get("Statistic")).isEqualTo("Maximum");
            assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanOrEqualToThreshold");
            assertThat(threshold(alarm)).isEqualTo(1.0);
            models.addAll(dimension(alarm, "Model"));
        }
        assertThat(models).containsExactlyInAnyOrder(Map.of("Ref", "CheapModel"), Map.of("Ref", "StrongModel"));
    }

    @Test
    void should_notify_the_sns_topic_parameter_when_an_alarm_fires_and_resolves() {
        Object topic = Map.of("Fn::If", List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")),
                Map.of("Ref", "AWS::NoValue")));
        assertThat(alarms()).hasSizeGreaterThanOrEqualTo(4);
        alarms().forEach((id, alarm) -> {
            assertThat(alarm.get("AlarmActions")).as(id).isEqualTo(topic);
            assertThat(alarm.get("OKActions")).as(id).isEqualTo(topic);
        });
        assertThat(map(template, "Conditions").get("HasAlarmTopic")).isEqualTo(Map.of("Fn::Not",
                List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "AlarmTopicArn"), "")))));
    }

    @Test
    void should_write_metrics_in_the_namespace_the_alarms_read() {
        assertThat(map(template, "Parameters", "MetricsNamespace").get("Default")).isEqualTo("Bulwark");
        for (Map<String, Object> f : List.of(function, train)) {
            assertThat(map(f, "Environment", "Variables").get("BULWARK_METRICS_EMF_NAMESPACE"))
                    .isEqualTo(Map.of("Ref", "MetricsNamespace"));
        }
    }
}
