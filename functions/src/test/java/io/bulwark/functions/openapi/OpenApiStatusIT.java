package io.bulwark.functions.openapi;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.json against real answers of the running local runner: a table of requests, one or more for every status
 * each operation lists, in an order where each builds on the last (train v2, promote it, roll back twice). Every
 * answer's status must be one the document lists for its operation and its body must conform to that status's
 * schema; every status the document lists must be produced here, or be one of the few named in {@link #ELSEWHERE}
 * with the test that produces it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiStatusIT {

    private static final String TOKEN = "openapi-admin-token";
    private static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    private static final String CSV = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n"
            + "Dream,46.5,17.9,192,3500,female\n";
    private static final String XML = "<penguin><island>Torgersen</island><bill_length_mm>39.1</bill_length_mm>"
            + "<bill_depth_mm>18.7</bill_depth_mm><flipper_length_mm>181</flipper_length_mm>"
            + "<body_mass_g>3750</body_mass_g><sex>MALE</sex></penguin>";
    private static final int MAX_DECODED = 64 * 1024;

    /** Statuses the document lists that this table cannot cause, with where they are caused. */
    private static final Map<Integer, String> ELSEWHERE = Map.of(
            500, "a bug in a function: FunctionDispatcherTest (a function that throws)",
            503, "server_busy (decode budget: ContentEncodingTest), model_unavailable (UnloadableModelIT, also for "
                    + "/v2/models/{name}/infer, whose not-ready 400s it produces too), "
                    + "prediction_log_unavailable (PredictionLogRequiredIT), health DOWN (readiness: UnloadableModelIT)",
            409, "for /promote: unloadable_version (UnloadableModelIT); for /evaluate: unloadable_version"
                    + " (ModelLifecycleIT)");

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.classifier.max-batch-rows", () -> "2");
        r.add("bulwark.admin-token", () -> TOKEN);
        r.add("bulwark.http.max-decoded-body", () -> MAX_DECODED + "B");
        r.add("bulwark.datasets.connections.gone.url", () -> "jdbc:sqlite:" + dir.resolve("absent").resolve("x.db"));
    }

    @LocalServerPort
    int port;

    private final OpenApiDocument doc = OpenApiDocument.load();
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newHttpClient();

    /** One request and the status it is known to get. */
    record Case(String method, String path, int status, Map<String, String> headers, byte[] body) {
    }

    private static Case json(String method, String path, int status, String body, String... headers) {
        Map<String, String> h = new TreeMap<>();
        h.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return new Case(method, path, status, h, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private static Case typed(String path, int status, String contentType, String body, String... headers) {
        Case c = json("POST", path, status, body, headers);
        c.headers().put("Content-Type", contentType);
        return c;
    }

    private static Case gzipped(String method, String path, int status, byte[] body, String... headers) {
        Case c = json(method, path, status, null, headers);
        c.headers().put("Content-Encoding", "gzip");
        return new Case(method, path, status, c.headers(), body);
    }

    private static Case get(String path, int status) {
        return new Case("GET", path, status, Map.of(), new byte[0]);
    }

    private static List<Case> table() {
        byte[] tooLarge = gzip(" ".repeat(MAX_DECODED + 1));
        byte[] notGzip = "this is not gzip".getBytes(StandardCharsets.UTF_8);
        String admin = "Authorization";
        String bearer = "Bearer " + TOKEN;
        List<Case> cases = new ArrayList<>();
        for (String function : List.of("/sentiment", "/predict", "/predict_batch", "/train", "/promote",
                "/rollback", "/evaluate", "/datasets", "/feedback", "/tune", "/jobs_cancel", "/digits", "/digits_batch")) {
            cases.add(gzipped("POST", function, 413, tooLarge, admin, bearer));
            cases.add(gzipped("POST", function, 400, notGzip, admin, bearer));
            cases.add(typed(function, 415, "application/pdf", "{}", admin, bearer));
        }
        for (String page : List.of("/models", "/drift", "/accuracy", "/jobs")) {
            cases.add(gzipped("GET", page, 413, tooLarge));
            cases.add(gzipped("GET", page, 400, notGzip));
            Case br = json("GET", page, 415, null);
            br.headers().put("Content-Encoding", "br");
            cases.add(br);
        }

        cases.add(json("POST", "/sentiment", 200, "{\"text\": \"I love it\"}"));
        cases.add(json("POST", "/sentiment", 400, "{\"text\": \"\"}"));

        cases.add(json("POST", "/predict", 200, GENTOO, "X-Request-Id", "openapi-1"));
        cases.add(typed("/predict", 200, "text/csv", CSV));
        cases.add(typed("/predict", 200, "application/xml", XML));
        cases.add(json("POST", "/predict", 400, GENTOO.replace("5800", "50")));
        cases.add(json("POST", "/predict", 404, GENTOO, "X-Model-Version", "v9"));

        cases.add(json("POST", "/predict_batch", 200, "[" + GENTOO + ", {\"island\": \"Mars\"}]"));
        cases.add(typed("/predict_batch", 200, "text/csv", CSV + CSV.substring(CSV.indexOf('\n') + 1)));
        cases.add(json("POST", "/predict_batch", 413, "[" + GENTOO + "," + GENTOO + "," + GENTOO + "]"));
        cases.add(json("POST", "/predict_batch", 400, "[]"));
        cases.add(json("POST", "/predict_batch", 404, "[" + GENTOO + "]", "X-Model-Version", "v9"));

        cases.add(json("POST", "/train", 401, "{}"));
        cases.add(json("POST", "/train", 401, "{}", admin, "Bearer wrong"));
        cases.add(json("POST", "/train", 400, "{\"algorithm\": \"svm\"}", admin, bearer));
        cases.add(json("POST", "/train", 200, "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 4}}",
                admin, bearer));

        cases.add(get("/models", 200));

        // A digit: a vertical stroke of ink in a 28 x 28 grey image (0-255).
        StringBuilder stroke = new StringBuilder("[");
        for (int p = 0; p < 784; p++) {
            int row = p / 28;
            int col = p % 28;
            stroke.append(p == 0 ? "" : ",").append(col >= 13 && col <= 15 && row >= 4 && row <= 23 ? 255 : 0);
        }
        String digit = "{\"pixels\": " + stroke.append("]") + "}";
        cases.add(json("POST", "/digits", 200, digit));
        cases.add(json("POST", "/digits", 404, digit, "X-Model-Version", "v9"));
        cases.add(json("POST", "/digits_batch", 200, "{\"images\": [" + digit + "]}"));
        cases.add(json("POST", "/digits_batch", 404, "{\"images\": [" + digit + "]}", "X-Model-Version", "v9"));
        cases.add(get("/drift", 200));
        cases.add(json("POST", "/feedback", 200, "{\"request_id\": \"openapi-1\", \"label\": \"Gentoo\"}"));
        cases.add(json("POST", "/feedback", 409, "{\"request_id\": \"openapi-1\", \"label\": \"Gentoo\"}"));
        cases.add(json("POST", "/feedback", 404, "{\"request_id\": \"never-served\", \"label\": \"Gentoo\"}"));
        cases.add(json("POST", "/feedback", 400, "{\"request_id\": \"openapi-1\", \"label\": \"Emperor\"}"));
        cases.add(get("/accuracy", 200));

        cases.add(json("POST", "/tune", 401, "{}"));
        cases.add(json("POST", "/tune", 400, "{\"search_space\": {\"depth\": [1]}}", admin, bearer));
        // A long run (random forests, 10 folds, up to 200 trials): cancelled below, so nothing is trained.
        cases.add(json("POST", "/tune", 202, "{\"algorithm\": \"random_forest\", \"search_space\": {\"trees\":"
                + " {\"min\": 50, \"max\": 300}}, \"trials\": 200, \"folds\": 10}", admin, bearer));
        cases.add(get("/jobs", 200));
        cases.add(get("/jobs?id=job-nope", 404));
        cases.add(json("POST", "/jobs_cancel", 401, "{\"id\": \"job-nope\"}"));
        cases.add(json("POST", "/jobs_cancel", 400, "{\"id\": 7}", admin, bearer));
        cases.add(json("POST", "/jobs_cancel", 404, "{\"id\": \"job-nope\"}", admin, bearer));
        cases.add(json("POST", "/jobs_cancel", 200, "{\"id\": \"$JOB\"}", admin, bearer));

        cases.add(json("POST", "/evaluate", 200, "{\"version\": \"v1\"}"));
        cases.add(json("POST", "/evaluate", 200, "{\"rows\": [" + GENTOO.replace("}", ", \"species\": \"Gentoo\"}")
                + "]}"));
        cases.add(json("POST", "/evaluate", 400, "{\"rows\": [" + GENTOO.replace("}", ", \"species\": \"Emperor\"}")
                + "]}"));
        cases.add(json("POST", "/evaluate", 404, "{\"version\": \"v9\"}"));
        cases.add(json("POST", "/evaluate", 413, "{\"rows\": [{}, {}, {}]}"));

        cases.add(json("POST", "/promote", 401, "{\"version\": \"v2\"}"));
        cases.add(json("POST", "/promote", 400, "{\"version\": \"two\"}", admin, bearer));
        cases.add(json("POST", "/promote", 404, "{\"version\": \"v9\"}", admin, bearer));
        cases.add(json("POST", "/promote", 200, "{\"version\": \"v2\"}", admin, bearer));

        cases.add(json("POST", "/rollback", 401, null));
        cases.add(json("POST", "/rollback", 400, "{\"version\": \"v1\"}", admin, bearer));
        cases.add(json("POST", "/rollback", 200, null, admin, bearer));
        cases.add(json("POST", "/rollback", 409, null, admin, bearer));

        String labelled = CSV.replace("sex\n", "sex,species\n").replace("female\n", "female,Adelie\n");
        cases.add(typed("/datasets", 200, "text/csv", labelled, admin, bearer));
        cases.add(json("POST", "/datasets", 401, "{\"source\": \"jdbc\"}"));
        cases.add(json("POST", "/datasets", 400, "{\"source\": \"jdbc\", \"connection\": \"prod\", \"query\": "
                + "\"SELECT 1\"}", admin, bearer));
        cases.add(json("POST", "/datasets", 422, "{\"source\": \"jdbc\", \"connection\": \"gone\", \"query\": "
                + "\"SELECT 1\"}", admin, bearer));
        cases.add(new Case("GET", "/datasets", 200, Map.of(admin, bearer), new byte[0]));
        cases.add(new Case("GET", "/datasets", 401, Map.of(), new byte[0]));
        cases.add(new Case("GET", "/datasets?idd=1", 400, Map.of(admin, bearer), new byte[0]));
        cases.add(new Case("GET", "/datasets?id=ds-0123456789abcdef", 404, Map.of(admin, bearer), new byte[0]));
        Case gzGet = gzipped("GET", "/datasets", 413, tooLarge, admin, bearer);
        cases.add(gzGet);
        cases.add(gzipped("GET", "/datasets", 400, notGzip, admin, bearer));
        Case brGet = new Case("GET", "/datasets", 415, new TreeMap<>(Map.of(admin, bearer, "Content-Encoding", "br")),
                new byte[0]);
        cases.add(brGet);

        // The Open Inference Protocol: every route, its refusals in the protocol's form.
        String v2 = "{\"inputs\": [{\"name\": \"island\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"Biscoe\"]},"
                + "{\"name\": \"bill_length_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [48.6]},"
                + "{\"name\": \"bill_depth_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [16.0]},"
                + "{\"name\": \"flipper_length_mm\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [230]},"
                + "{\"name\": \"body_mass_g\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [5800]}]}";
        for (String path : List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/penguins",
                "/v2/models/penguins/versions/v1", "/v2/models/penguins/ready", "/v2/models/penguins/versions/v1/ready")) {
            cases.add(get(path, 200));
            cases.add(gzipped("GET", path, 413, tooLarge));
            cases.add(gzipped("GET", path, 400, notGzip));
            Case brotli = json("GET", path, 415, null);
            brotli.headers().put("Content-Encoding", "br");
            cases.add(brotli);
        }
        for (String path : List.of("/v2/models/penguins/infer", "/v2/models/penguins/versions/v1/infer")) {
            cases.add(json("POST", path, 200, v2));
            cases.add(json("POST", path, 400, v2.replace("\"FP32\", \"data\": [48.6]", "\"BYTES\", \"data\": [\"48.6\"]")));
            cases.add(json("POST", path, 413, v2.replace("\"shape\": [1]", "\"shape\": [3]")
                    .replaceAll("\"data\": \\[([^]]+)]", "\"data\": [$1, $1, $1]")));
            cases.add(gzipped("POST", path, 400, notGzip));
            cases.add(typed(path, 415, "application/pdf", "{}"));
        }
        cases.add(json("POST", "/v2/models/cats/infer", 404, v2));
        cases.add(json("POST", "/v2/models/penguins/versions/v9/infer", 404, v2));
        cases.add(get("/v2/models/cats", 404));
        cases.add(get("/v2/models/penguins/versions/v9", 404));
        cases.add(get("/v2/models/cats/ready", 404));
        cases.add(get("/v2/models/penguins/versions/latest/ready", 404));

        cases.add(get("/metrics/summary", 200));
        cases.add(get("/metrics/dashboard", 200));
        cases.add(get("/metrics/providers", 200));
        cases.add(get("/alerts", 200));
        cases.add(get("/dashboard", 200));
        cases.add(get("/openapi.json", 200));
        cases.add(get("/actuator/health", 200));
        return cases;
    }

    @Test
    void should_answer_only_documented_statuses_with_documented_bodies_and_produce_every_documented_status()
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Integer>> produced = new TreeMap<>();
        String job = null; // the job id of the last 202, for the cases that name "$JOB"
        for (Case listed : table()) {
            Case c = listed;
            if (job != null && new String(c.body(), StandardCharsets.UTF_8).contains("$JOB")) {
                c = new Case(c.method(), c.path(), c.status(), c.headers(), new String(c.body(), StandardCharsets.UTF_8)
                        .replace("$JOB", job).getBytes(StandardCharsets.UTF_8));
            }
            String path = c.path().split("\\?", 2)[0]; // the query is a parameter of the path's operation
            String template = doc.pathOf(path);
            String op = c.method() + " " + template;
            HttpResponse<String> r = send(c);
            if (r.statusCode() == 202) {
                job = json.readTree(r.body()).path("job_id").asString();
            }
            if (r.statusCode() != c.status()) {
                problems.add(op + " " + c.headers() + ": expected " + c.status() + ", got " + r.statusCode() + " "
                        + r.body());
                continue;
            }
            produced.computeIfAbsent(op, k -> new TreeSet<>()).add(r.statusCode());
            if (!doc.statuses(c.method(), template).contains(r.statusCode())) {
                problems.add(op + " answered " + r.statusCode() + ", which the document does not list: " + r.body());
                continue;
            }
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                JsonNode body = json.readTree(r.body());
                List<String> errors = doc.validate(c.method(), template, r.statusCode(), body);
                if (!errors.isEmpty()) {
                    problems.add(op + " " + r.statusCode() + " does not match its schema: " + errors + " in " + r.body());
                }
            }
        }

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(problems).isEmpty();
        for (String op : doc.operations()) {
            String[] mp = op.split(" ", 2);
            Set<Integer> unproduced = new TreeSet<>(doc.statuses(mp[0], mp[1]));
            unproduced.removeAll(produced.getOrDefault(op, Set.of()));
            unproduced.removeAll(ELSEWHERE.keySet());
            soft.assertThat(unproduced).as(op + ": statuses the document lists that nothing produces").isEmpty();
        }
        soft.assertAll();
    }

    @Test
    void should_list_exactly_the_fields_of_a_batch_answer() throws InterruptedException {
        // /predict_batch streams its answer (no record to introspect), so its fields are read off a real one.
        HttpResponse<String> r = send(json("POST", "/predict_batch", 200, "[" + GENTOO + ", {\"island\": \"Mars\"}]"));
        JsonNode body = json.readTree(r.body());
        Set<String> fields = new TreeSet<>(body.propertyNames());
        // Only when the version asked for cannot be loaded (UnloadableModelIT), as in /predict's Response.
        fields.add("fallback");
        Set<String> rowFields = new TreeSet<>();
        body.path("results").forEach(row -> rowFields.addAll(row.propertyNames()));
        // Only below the confidence threshold (ClassifierIT), as in /predict's Response.
        rowFields.add("best_guess");
        // Only when the classifier boundary's fallback version answered the row, or none could (ClassifierBoundaryIT).
        rowFields.add("model_version");
        rowFields.add("degraded");

        assertThat(fields).containsExactlyInAnyOrderElementsOf(doc.properties("BatchPrediction"));
        Set<String> documentedRow = new TreeSet<>();
        doc.component("BatchResult").path("oneOf").forEach(s -> documentedRow.addAll(s.path("properties").propertyNames()));
        assertThat(rowFields).containsExactlyInAnyOrderElementsOf(documentedRow);
    }

    @Test
    void should_answer_the_shared_404_and_405_of_the_document_off_its_operations() throws InterruptedException {
        HttpResponse<String> none = send(json("POST", "/nope", 404, "{}"));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(doc.validateShared("NoSuchPath", json.readTree(none.body()))).isEmpty();
        for (String op : doc.operations()) {
            String[] mp = op.split(" ", 2);
            Set<String> taken = doc.operations().stream().filter(o -> o.endsWith(" " + mp[1]))
                    .map(o -> o.split(" ", 2)[0]).collect(java.util.stream.Collectors.toSet());
            String other = !taken.contains("GET") ? "GET" : !taken.contains("POST") ? "POST" : "DELETE";
            String path = mp[1].replace("{name}", "penguins").replace("{version}", "v1");
            HttpResponse<String> r = send(json(other, path, 405, "{}"));

            assertThat(r.statusCode()).as(other + " " + path + ": " + r.body()).isEqualTo(405);
            assertThat(doc.validateShared(path.startsWith("/v2") ? "InferenceMethodNotAllowed" : "MethodNotAllowed",
                    json.readTree(r.body()))).as(other + " " + path).isEmpty();
        }
    }

    @Test
    void should_serve_the_document_it_is_tested_against() throws InterruptedException {
        HttpResponse<String> r = send(get("/openapi.json", 200));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(json.readTree(r.body())).isEqualTo(doc.root());
    }

    @Test
    void should_refuse_other_methods_on_the_document_with_the_contracts_405() throws InterruptedException {
        HttpResponse<String> r = send(json("POST", "/openapi.json", 405, "{}"));

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(json.readTree(r.body()).path("error").asString()).isEqualTo("method_not_allowed");
    }

    private HttpResponse<String> send(Case c) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + c.path()))
                .method(c.method(), c.body().length == 0 && c.method().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        c.headers().forEach(b::header);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
