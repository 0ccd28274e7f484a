package io.bulwark.functions.aws;

import io.bulwark.functions.BulwarkApplication;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda path's lean context ({@link LambdaApplication}, started as Spring Cloud Function's {@code FunctionInvoker}
 * starts it) against the runner's full one ({@link BulwarkApplication} without a web server, what the Lambda path
 * started before): the same routes, the same application beans but the runner's operator pages, the same observers and
 * meters, and every route answered through the Lambda entry function as the runner's dispatcher answers it. A
 * configuration class added to the runner's packages but not to {@code FunctionsConfiguration} fails here.
 */
class LambdaApplicationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Beans of the runner's packages the Lambda path leaves out on purpose: the local runner's operator pages. */
    private static final Set<String> RUNNER_ONLY = Set.of("monitoringController", "providersController",
            "openApiController", "config:" + BulwarkApplication.class.getName());

    private static ConfigurableApplicationContext runner;
    private static ConfigurableApplicationContext lambda;

    @BeforeAll
    static void start() throws Exception {
        runner = new SpringApplicationBuilder(BulwarkApplication.class).web(WebApplicationType.NONE)
                .run(args(Files.createTempDirectory("lambda-app-runner-")));
        // As FunctionInvoker.start() does: the invoker's companion configuration as a second source, its two options.
        List<String> lambdaArgs = new ArrayList<>(List.of(args(Files.createTempDirectory("lambda-app-lean-"))));
        lambdaArgs.addAll(List.of("--spring.cloud.function.web.export.enabled=false",
                "--spring.main.web-application-type=none"));
        lambda = new SpringApplicationBuilder(LambdaApplication.class).sources(AWSCompanionAutoConfiguration.class)
                .run(lambdaArgs.toArray(String[]::new));
    }

    /**
     * Fresh files for each context; the conditional observers (EMF lines, the OTLP registry) switched on in both, so
     * they are compared too (the OTLP registry pushes once an hour, to a port nothing listens on).
     */
    private static String[] args(Path dir) {
        return new String[]{"--bulwark.classifier.registry=" + dir.resolve("models"),
                "--bulwark.digits.registry=" + dir.resolve("digits"),
                "--bulwark.prediction-log.path=" + dir.resolve("logs/predictions.jsonl"),
                "--bulwark.metrics.emf.enabled=true", "--bulwark.metrics.otlp.endpoint=http://127.0.0.1:9",
                "--bulwark.metrics.otlp.step=1h", "--bulwark.admin-token=lean-context-token"};
    }

    @AfterAll
    static void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void should_route_every_function_of_the_runner() {
        List<FunctionEndpoints.Endpoint> runnerRoutes = runner.getBean(FunctionDispatcher.class).endpoints().all();
        List<FunctionEndpoints.Endpoint> lambdaRoutes = lambda.getBean(FunctionDispatcher.class).endpoints().all();

        assertThat(runnerRoutes).hasSizeGreaterThan(20);
        assertThat(lambdaRoutes).containsExactlyInAnyOrderElementsOf(runnerRoutes);
    }

    @Test
    void should_hold_every_application_bean_of_the_runner_but_its_operator_pages() {
        Set<String> runnerBeans = applicationBeans(runner);
        Set<String> lambdaBeans = applicationBeans(lambda);

        assertThat(diff(runnerBeans, lambdaBeans)).as("in the runner's context only")
                .containsExactlyInAnyOrderElementsOf(RUNNER_ONLY);
        assertThat(diff(lambdaBeans, runnerBeans)).as("in the Lambda context only")
                .containsExactlyInAnyOrder("lambdaApplication", "awsCompanionWithoutProxy");
        // FunctionInvoker's companion configuration is not proxied (LambdaApplication marks it lite), and still works.
        assertThat(lambda.getBean(AWSCompanionAutoConfiguration.class).getClass())
                .isEqualTo(AWSCompanionAutoConfiguration.class);
        assertThat(lambda.containsBean("awsTypesMessageConverter")).isTrue();
        assertThat(lambda.getBeansOfType(FunctionObserver.class).keySet())
                .containsExactlyInAnyOrderElementsOf(runner.getBeansOfType(FunctionObserver.class).keySet())
                .contains("emfMetrics", "functionMeters", "monitor", "requestLog");
    }

    @Test
    void should_answer_every_route_through_the_lambda_entry_as_the_runner_does() {
        Function<Message<InputStream>, Object> entry = lambda.getBean(FunctionCatalog.class)
                .lookup(ApiGatewayFunction.NAME, "application/json");
        FunctionDispatcher runnerDispatcher = runner.getBean(FunctionDispatcher.class);
        Map<String, String> viaLambda = new LinkedHashMap<>();
        Map<String, String> viaRunner = new LinkedHashMap<>();
        for (FunctionEndpoints.Endpoint e : runner.getBean(FunctionDispatcher.class).endpoints().all()) {
            String path = "/" + e.name().replaceAll("\\{[^}]+}", "none");
            String route = e.method() + " " + path;
            // An empty body: each function's own refusal (or its answer, for the GET routes), never the router's 404.
            JsonNode answer = throughLambdaEntry(entry, e.method(), path);
            viaLambda.put(route, answer.path("statusCode").asInt() + " " + code(answer.path("body").asString()));
            FunctionResponse r = runnerDispatcher.dispatch(new FunctionRequest(e.method(), path,
                    Map.of("content-type", "application/json"), new byte[0]));
            viaRunner.put(route, r.status() + " " + code(new String(r.body(), StandardCharsets.UTF_8)));
        }

        assertThat(viaLambda).isEqualTo(viaRunner);
        assertThat(viaLambda.values()).noneMatch(v -> v.endsWith(" not_found") || v.endsWith(" method_not_allowed"));
        // And a real answer from the first request's function, the one the cold start is measured on.
        JsonNode sentiment = JSON.readTree(throughLambdaEntry(entry, "POST", "/sentiment",
                "{\"text\": \"I love this product, it works great\"}").path("body").asString());
        assertThat(sentiment.path("sentiment").asString()).isEqualTo("positive");
    }

    @Test
    void should_record_the_same_meters_as_the_runner() {
        for (ConfigurableApplicationContext context : List.of(runner, lambda)) {
            context.getBean(FunctionDispatcher.class).dispatch(new FunctionRequest("POST", "/sentiment",
                    Map.of("content-type", "application/json"),
                    "{\"text\": \"a lovely, helpful shop\"}".getBytes(StandardCharsets.UTF_8)));
        }

        Set<String> lambdaMeters = bulwarkMeters(lambda);
        assertThat(lambdaMeters).as("the functions' meters and the meter binders' gauges")
                .contains("bulwark.function.latency", "bulwark.accuracy.live", "bulwark.alerts.firing")
                .isEqualTo(bulwarkMeters(runner));
    }

    private static JsonNode throughLambdaEntry(Function<Message<InputStream>, Object> entry, String method,
                                               String path) {
        return throughLambdaEntry(entry, method, path, "");
    }

    /** An HTTP API (payload 2.0) event through the entry function, as FunctionInvoker hands it over. */
    private static JsonNode throughLambdaEntry(Function<Message<InputStream>, Object> entry, String method,
                                               String path, String body) {
        Map<String, Object> event = Map.of("version", "2.0", "routeKey", "$default", "rawPath", path,
                "rawQueryString", "", "headers", Map.of("content-type", "application/json"),
                "requestContext", Map.of("http", Map.of("method", method, "path", path), "stage", "$default",
                        "requestId", "lean-context-it"),
                "body", body, "isBase64Encoded", false);
        Object answer = entry.apply(MessageBuilder.<InputStream>withPayload(
                new ByteArrayInputStream(JSON.writeValueAsBytes(event))).build());
        Object payload = answer instanceof Message<?> m ? m.getPayload() : answer;
        return payload instanceof byte[] bytes ? JSON.readTree(bytes) : JSON.valueToTree(payload);
    }

    /** The error code of an error body ({@code ApiError}), or {@code ok}. */
    private static String code(String body) {
        JsonNode node = body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        return node.path("error").isString() ? node.path("error").asString() : "ok";
    }

    /**
     * The beans whose class is Bulwark's, by name; a configuration class by its class (a scanned one is named
     * {@code stateConfiguration}, an imported one by its class name).
     */
    private static Set<String> applicationBeans(ConfigurableApplicationContext context) {
        Set<String> beans = new TreeSet<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = context.getType(name);
            if (type == null || !type.getName().startsWith("io.bulwark.")) {
                continue;
            }
            beans.add(AnnotatedElementUtils.hasAnnotation(type, Configuration.class) ? "config:" + type.getName() : name);
        }
        return beans;
    }

    private static Set<String> bulwarkMeters(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class).getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .filter(n -> n.startsWith("bulwark.")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
