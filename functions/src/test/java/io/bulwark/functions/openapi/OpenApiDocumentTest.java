package io.bulwark.functions.openapi;

import io.bulwark.functions.TestEndpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.bind.annotation.GetMapping;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.json describes what the code serves, both ways: every function and operator page and nothing else, and
 * each answer record's JSON fields exactly (Jackson's own view of the record, so {@code @JsonProperty} names and
 * {@code @JsonIgnore} count). Statuses are held to real answers by OpenApiStatusIT.
 */
class OpenApiDocumentTest {

    /** The controllers that serve operator pages on the local runner. */
    private static final String[] OPERATOR_CONTROLLERS = {
            "io.bulwark.functions.monitoring.MonitoringController",
            "io.bulwark.functions.monitoring.ProvidersController",
            "io.bulwark.functions.openapi.OpenApiController"};
    /** Spring Boot's own page the document describes (the other actuator endpoints are Spring's to describe). */
    private static final String HEALTH = "GET /actuator/health";

    private final OpenApiDocument doc = OpenApiDocument.load();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void should_be_openapi_3_1_with_a_bearer_admin_scheme() {
        assertThat(doc.root().path("openapi").asString()).startsWith("3.1.");
        assertThat(doc.root().at("/components/securitySchemes/adminToken/scheme").asString()).isEqualTo("bearer");
        for (String admin : new String[]{"/train", "/promote", "/rollback", "/datasets", "/tune", "/jobs_cancel"}) {
            assertThat(doc.root().at("/paths/" + admin.replace("/", "~1") + "/post/security/0")
                    .has("adminToken")).as(admin).isTrue();
        }
    }

    @Test
    void should_describe_every_function_and_operator_page_and_nothing_else() throws ClassNotFoundException {
        Set<String> served = new TreeSet<>();
        TestEndpoints.all().forEach(e -> served.add(e.method() + " /" + e.name()));
        for (String controller : OPERATOR_CONTROLLERS) {
            served.addAll(getMappings(Class.forName(controller)));
        }
        served.add(HEALTH);

        assertThat(doc.operations()).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void should_tag_as_operator_pages_exactly_the_paths_that_are_not_functions() {
        Set<String> functions = new TreeSet<>();
        TestEndpoints.all().forEach(e -> functions.add(e.method() + " /" + e.name()));
        Set<String> pages = new TreeSet<>(doc.operations());
        pages.removeAll(functions);

        assertThat(doc.operatorPages()).containsExactlyInAnyOrderElementsOf(pages);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "ApiError,           io.bulwark.functions.http.ApiError",
            "SentimentAnswer,    io.bulwark.sentiment.SentimentAnswer",
            "Prediction,         io.bulwark.functions.classifier.PredictFunction$Response",
            "DigitAnswer,        io.bulwark.functions.digits.DigitsFunction$Response",
            "DigitBatch,         io.bulwark.functions.digits.DigitsBatchFunction$Response",
            "DigitItem,          io.bulwark.functions.digits.DigitsBatchFunction$Item",
            "Trained,            io.bulwark.models.ClassifierService$Trained",
            "Decision,           io.bulwark.models.ClassifierService$Decision",
            "Metrics,            io.bulwark.models.train.Metrics",
            "ClassMetrics,       io.bulwark.models.train.Metrics$ClassMetrics",
            "Models,             io.bulwark.models.ClassifierService$Models",
            "ModelVersion,       io.bulwark.models.ClassifierService$VersionView",
            "Promotion,          io.bulwark.functions.classifier.PromoteFunction$Response",
            "Evaluation,         io.bulwark.models.evaluate.Evaluation",
            "Calibration,        io.bulwark.models.evaluate.Calibration",
            "CalibrationBin,     io.bulwark.models.evaluate.Calibration$Bin",
            "DatasetAnswer,      io.bulwark.functions.classifier.IngestDatasetFunction$Answer",
            "DatasetVersion,     io.bulwark.models.dataset.DatasetVersion",
            "DatasetColumn,      io.bulwark.models.dataset.DatasetVersion$Column",
            "FeatureProfile,     io.bulwark.models.dataset.FeatureProfile",
            "Histogram,          io.bulwark.models.dataset.FeatureProfile$Histogram",
            "RejectedRow,        io.bulwark.models.dataset.RejectedRow",
            "DatasetListing,     io.bulwark.functions.classifier.DatasetsFunction$Listing",
            "DatasetSummary,     io.bulwark.functions.classifier.DatasetsFunction$Summary",
            "DriftAnswer,        io.bulwark.functions.classifier.DriftFunction$Response",
            "DriftReport,        io.bulwark.models.drift.DriftReport",
            "DriftWindow,        io.bulwark.models.drift.DriftReport$Window",
            "FeatureDrift,       io.bulwark.models.drift.DriftReport$FeatureDrift",
            "DriftTest,          io.bulwark.models.drift.DriftReport$Test",
            "ClassifierStats,    io.bulwark.functions.monitoring.Summary$ClassifierStats",
            "FeedbackAnswer,     io.bulwark.models.feedback.Feedback$Joined",
            "LiveAccuracy,       io.bulwark.models.feedback.LiveAccuracy",
            "AccuracyAnswer,     io.bulwark.functions.classifier.AccuracyFunction$Response",
            "TuneAccepted,       io.bulwark.functions.classifier.TuneFunction$Accepted",
            "JobView,            io.bulwark.models.jobs.JobRunner$JobView",
            "JobProgress,        io.bulwark.models.jobs.JobRunner$Progress",
            "JobList,            io.bulwark.functions.classifier.JobsFunction$JobList",
            "Tuned,              io.bulwark.models.ClassifierService$Tuned",
            "Tuning,             io.bulwark.models.tune.Tuning",
            "TuningTrial,        io.bulwark.models.tune.Tuning$Trial",
            "Summary,            io.bulwark.functions.monitoring.Summary",
            "Window,             io.bulwark.functions.monitoring.Summary$Window",
            "FunctionStats,      io.bulwark.functions.monitoring.Summary$FunctionStats",
            "SentimentStats,     io.bulwark.functions.monitoring.Summary$SentimentStats",
            "CacheHitRate,       io.bulwark.functions.monitoring.Summary$CacheHitRate",
            "Cost,               io.bulwark.functions.monitoring.Summary$Cost",
            "PredictionLogStats, io.bulwark.functions.monitoring.Summary$PredictionLogStats",
            "DigitStats,         io.bulwark.functions.monitoring.Summary$DigitStats",
            "Stats,              io.bulwark.functions.monitoring.Stats",
            "Alerts,             io.bulwark.functions.monitoring.AlertEvaluator$Alerts",
            "RuleState,          io.bulwark.functions.monitoring.AlertEvaluator$RuleState",
            "AlertEvent,         io.bulwark.functions.monitoring.AlertEvent",
            "Dashboard,          io.bulwark.functions.monitoring.MonitoringController$Dashboard",
            "Providers,          io.bulwark.functions.monitoring.ProvidersController$Providers",
            "ProviderModel,      io.bulwark.functions.monitoring.ProvidersController$ProviderModel",
            "TierHedges,         io.bulwark.functions.monitoring.ProvidersController$TierHedges",
            "InferenceError,     io.bulwark.models.inference.InferenceError",
            "ServerMetadata,     io.bulwark.models.inference.ServerMetadata",
            "ServerLive,         io.bulwark.functions.inference.ServerHealthFunction$Live",
            "ServerReady,        io.bulwark.functions.inference.ServerHealthFunction$Ready",
            "ModelReady,         io.bulwark.functions.inference.ModelReadyFunction$ModelReady",
            "ModelMetadata,      io.bulwark.models.inference.ModelMetadata",
            "MetadataTensor,     io.bulwark.models.inference.MetadataTensor",
            "InferenceResponse,  io.bulwark.models.inference.InferenceResponse",
            "OutputTensor,       io.bulwark.models.inference.OutputTensor",
    })
    void should_list_exactly_the_json_fields_of_each_answer_record(String schema, String record)
            throws ClassNotFoundException {
        assertThat(doc.properties(schema)).as(schema + " vs " + record)
                .containsExactlyInAnyOrderElementsOf(jsonFields(Class.forName(record)));
    }

    @Test
    void should_name_the_answer_record_of_every_function_in_its_200() {
        // The table above covers these records; this ties each function's 200 to its schema, so a function
        // answering another record cannot keep an old schema.
        assertThat(ref("/sentiment", "post")).isEqualTo("SentimentAnswer");
        assertThat(ref("/predict", "post")).isEqualTo("Prediction");
        assertThat(ref("/digits", "post")).isEqualTo("DigitAnswer");
        assertThat(ref("/digits_batch", "post")).isEqualTo("DigitBatch");
        assertThat(ref("/train", "post")).isEqualTo("Trained");
        assertThat(ref("/models", "get")).isEqualTo("Models");
        assertThat(ref("/drift", "get")).isEqualTo("DriftAnswer");
        assertThat(ref("/feedback", "post")).isEqualTo("FeedbackAnswer");
        assertThat(ref("/accuracy", "get")).isEqualTo("AccuracyAnswer");
        assertThat(ref("/promote", "post")).isEqualTo("Promotion");
        assertThat(ref("/rollback", "post")).isEqualTo("Promotion");
        assertThat(ref("/evaluate", "post")).isEqualTo("Evaluation");
        assertThat(ref("/datasets", "post")).isEqualTo("DatasetAnswer");
        assertThat(ref("/metrics/summary", "get")).isEqualTo("Summary");
        assertThat(ref("/alerts", "get")).isEqualTo("Alerts");
        assertThat(ref("/metrics/dashboard", "get")).isEqualTo("Dashboard");
        assertThat(ref("/metrics/providers", "get")).isEqualTo("Providers");
        assertThat(ref("/v2", "get")).isEqualTo("ServerMetadata");
        assertThat(ref("/v2/health/live", "get")).isEqualTo("ServerLive");
        assertThat(ref("/v2/health/ready", "get")).isEqualTo("ServerReady");
        assertThat(ref("/v2/models/{name}", "get")).isEqualTo("ModelMetadata");
        assertThat(ref("/v2/models/{name}/versions/{version}", "get")).isEqualTo("ModelMetadata");
        assertThat(ref("/v2/models/{name}/ready", "get")).isEqualTo("ModelReady");
        assertThat(ref("/v2/models/{name}/versions/{version}/ready", "get")).isEqualTo("ModelReady");
        assertThat(ref("/v2/models/{name}/infer", "post")).isEqualTo("InferenceResponse");
        assertThat(ref("/v2/models/{name}/versions/{version}/infer", "post")).isEqualTo("InferenceResponse");
    }

    @Test
    void should_answer_every_refusal_of_the_inference_protocol_in_its_own_error_form() {
        int checked = 0;
        for (var p : doc.root().path("paths").properties()) {
            for (var m : p.getValue().properties()) {
                boolean v2 = p.getKey().equals("/v2") || p.getKey().startsWith("/v2/");
                if (v2) {
                    assertThat(m.getValue().path("tags").get(0).asString()).as(p.getKey()).isEqualTo("inference");
                }
                for (int status : doc.statuses(m.getKey(), p.getKey())) {
                    if (v2 && status >= 400) {
                        assertThat(doc.validate(m.getKey(), p.getKey(), status, json.readTree("{\"error\":\"x\"}")))
                                .as(m.getKey() + " " + p.getKey() + " " + status).isEmpty();
                        assertThat(doc.validate(m.getKey(), p.getKey(), status,
                                json.readTree("{\"error\":\"x\",\"message\":\"y\",\"field\":null}")))
                                .as("the contract's body on " + p.getKey()).isNotEmpty();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("refusals of /v2 paths checked").isGreaterThanOrEqualTo(9 * 5);
        assertThat(doc.validateShared("InferenceMethodNotAllowed", json.readTree("{\"error\":\"x\"}"))).isEmpty();
    }

    @Test
    void should_answer_every_refusal_with_the_contracts_error_body() {
        doc.root().path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            for (int status : doc.statuses(m.getKey(), p.getKey())) {
                if (status >= 400 && !p.getKey().startsWith("/actuator/") && !p.getKey().startsWith("/v2")) {
                    String body = "{\"error\":\"x\",\"message\":\"y\",\"field\":null}";
                    assertThat(doc.validate(m.getKey(), p.getKey(), status, json.readTree(body)))
                            .as(m.getKey() + " " + p.getKey() + " " + status).isEmpty();
                    assertThat(doc.validate(m.getKey(), p.getKey(), status, json.readTree("{\"error\":\"x\"}")))
                            .as("an error body without message").isNotEmpty();
                }
            }
        }));
    }

    @Test
    void should_give_examples_that_conform_to_their_own_schemas() {
        int checked = 0;
        for (var p : doc.root().path("paths").properties()) {
            for (var m : p.getValue().properties()) {
                for (int status : doc.statuses(m.getKey(), p.getKey())) {
                    JsonNode response = m.getValue().path("responses").path(String.valueOf(status));
                    if (response.has("$ref")) {
                        response = doc.root().at(response.get("$ref").asString().substring(1));
                    }
                    JsonNode example = response.path("content").path("application/json").path("example");
                    if (!example.isMissingNode()) {
                        assertThat(doc.validate(m.getKey(), p.getKey(), status, example))
                                .as(m.getKey() + " " + p.getKey() + " " + status).isEmpty();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("examples checked").isGreaterThanOrEqualTo(10);
    }

    private String ref(String path, String method) {
        String ref = doc.root().path("paths").path(path).path(method).path("responses").path("200").path("content")
                .path("application/json").path("schema").path("$ref").asString();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private Set<String> jsonFields(Class<?> type) {
        Set<String> names = new TreeSet<>();
        json.acceptJsonFormatVisitor(type, new JsonFormatVisitorWrapper.Base() {
            @Override
            public JsonObjectFormatVisitor expectObjectFormat(JavaType t) {
                return new JsonObjectFormatVisitor.Base(getContext()) {
                    @Override
                    public void property(BeanProperty prop) {
                        names.add(prop.getName());
                    }

                    @Override
                    public void optionalProperty(BeanProperty prop) {
                        names.add(prop.getName());
                    }
                };
            }
        });
        assertThat(names).as("Jackson sees no property of " + type.getName()).isNotEmpty();
        return names;
    }

    private static Set<String> getMappings(Class<?> controller) {
        Set<String> out = new TreeSet<>();
        for (Method m : controller.getDeclaredMethods()) {
            GetMapping get = m.getAnnotation(GetMapping.class);
            if (get != null) {
                for (String path : get.path()) {
                    out.add("GET " + path);
                }
            }
        }
        assertThat(out).as(controller.getSimpleName() + " serves no page").isNotEmpty();
        return out;
    }
}
