package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.AfterAll;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model's life beyond serving, through the running local runner on a registry in a temporary directory: seed 001's
 * literal contracts ({@code /train} with {@code epochs} and {@code learning_rate}, {@code /predict_batch} answering a
 * {@code predictions} list), {@code /evaluate}, and datasets ingested from an upload, a real SQLite file and a real
 * HTTP server on loopback, then trained and evaluated on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelLifecycleIT {

    static final String TOKEN = "lifecycle-admin-token";

    @TempDir
    static Path dir;

    static HttpServer files;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        labDatabase(dir.resolve("lab.db"));
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/penguins.csv", x -> {
            byte[] csv = (CSV_HEADER + "Biscoe,48.6,16.0,230,5800,male,Gentoo\nDream,44\n")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/csv");
            x.sendResponseHeaders(200, csv.length);
            x.getResponseBody().write(csv);
            x.close();
        });
        files.createContext("/elsewhere", x -> {
            x.getResponseHeaders().add("Location", "http://localhost:" + files.getAddress().getPort()
                    + "/penguins.csv");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        files.start();
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.admin-token", () -> TOKEN);
        r.add("bulwark.prediction-log.backend", () -> "none");
        r.add("bulwark.datasets.connections.lab.url", () -> "jdbc:sqlite:" + dir.resolve("lab.db"));
        r.add("bulwark.datasets.http.allowed-hosts", () -> "127.0.0.1");
    }

    static final String CSV_HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,species\n";

    /** A SQLite file holding the bundled penguins and two rows the classifier refuses. */
    static void labDatabase(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE penguins (island TEXT, bill_length_mm REAL, bill_depth_mm REAL,"
                    + " flipper_length_mm REAL, body_mass_g REAL, sex TEXT, species TEXT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO penguins VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Labelled<Penguin> row : PenguinModelType.bundled().data().rows()) {
                    Penguin p = row.input();
                    insert.setString(1, p.island().wire());
                    insert.setDouble(2, p.billLengthMm());
                    insert.setDouble(3, p.billDepthMm());
                    insert.setDouble(4, p.flipperLengthMm());
                    insert.setDouble(5, p.bodyMassG());
                    insert.setString(6, p.sex() == io.bulwark.models.penguins.Sex.UNKNOWN ? null : p.sex().wire());
                    insert.setString(7, row.label());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("INSERT INTO penguins VALUES ('Atlantis', 40, 18, 190, 3500, 'female', 'Adelie'),"
                    + " ('Dream', 46.5, 17.9, 192, 35, 'female', 'Chinstrap')");
        }
    }

    @AfterAll
    static void stopFiles() {
        if (files != null) {
            files.stop(0);
        }
    }

    @LocalServerPort
    int port;
    HttpClientSupport http;

    @BeforeEach
    void client() {
        http = new HttpClientSupport(port);
    }

    private Reply post(String path, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return http.request("POST", path, h, body);
    }

    private Reply admin(String path, String body) {
        return post(path, body, "Authorization", "Bearer " + TOKEN);
    }

    static void assertError(Reply r, int status, String error, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).as(r.raw()).isEqualTo(error);
        assertThat(r.json().path("field").asString()).as(r.raw()).isEqualTo(field);
        assertThat(r.json().path("message").asString()).isNotBlank();
    }

    @Test
    void should_train_seed_001s_body_as_the_default_algorithms_hyperparameters() {
        Reply r = admin("/train", "{\"epochs\": 10, \"learning_rate\": 0.001}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("message").asString()).startsWith("Training completed successfully");
        assertThat(r.json().path("new_model_version").asString()).matches("v[0-9]+");
        assertThat(r.json().path("algorithm").asString()).isEqualTo("logistic_regression");
        assertThat(r.json().path("hyperparameters").path("epochs").asInt()).isEqualTo(10);
        assertThat(r.json().path("hyperparameters").path("learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(r.json().path("hyperparameters").path("minibatch_size").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not the chosen algorithm's | {\"algorithm\": \"cart\", \"epochs\": 3}                     | unknown_field    | epochs",
            "given twice                | {\"epochs\": 3, \"hyperparameters\": {\"epochs\": 4}}      | duplicate_field  | epochs",
            "out of range               | {\"epochs\": 0, \"learning_rate\": 0.001}                  | out_of_range     | epochs",
            "not a number               | {\"epochs\": 10, \"learning_rate\": \"fast\"}              | invalid_type     | learning_rate",
            "nobody's hyperparameter    | {\"momentum\": 0.9}                                        | unknown_field    | momentum",
    })
    void should_refuse_a_top_level_hyperparameter_naming_it_as_written(String name, String body, String error,
                                                                       String field) {
        int versions = http.get("/models").json().path("versions").size();

        assertError(admin("/train", body), 400, error, field);
        assertThat(http.get("/models").json().path("versions").size()).isEqualTo(versions);
    }

    @Test
    void should_answer_a_batch_with_seed_001s_predictions_list_in_order_null_for_a_bad_row() {
        String gentoo = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
                + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
        String adelie = "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
                + "\"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"female\"}";

        Reply r = post("/predict_batch", "[" + gentoo + ", {\"island\": \"Mars\"}, " + adelie + "]",
                "X-Model-Version", "v1");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode predictions = r.json().path("predictions");
        assertThat(predictions.size()).isEqualTo(3);
        assertThat(predictions.get(0).asString()).isEqualTo("Gentoo");
        assertThat(predictions.get(1).isNull()).as(r.raw()).isTrue();
        assertThat(predictions.get(2).asString()).isEqualTo("Adelie");
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(r.json().path("results").get(1).path("error").path("field").asString()).isEqualTo("island");
    }

    static final String GENTOO = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    static final String ADELIE = "{\"island\": \"Torgersen\", \"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, "
            + "\"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"female\"}";

    private static String labelled(String row, String species) {
        return row.replace("}", ", \"species\": \"" + species + "\"}");
    }

    @Test
    void should_evaluate_a_version_on_the_held_out_rows_as_its_training_measured_them() {
        Reply r = post("/evaluate", "{\"version\": \"v1\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README /evaluate held-out: " + r.raw());
        JsonNode v1 = http.get("/models").json().path("versions").get(0);
        assertThat(r.json().path("model_version").asString()).isEqualTo("v1");
        assertThat(r.json().path("metrics")).isEqualTo(v1.path("metrics"));
        assertThat(r.json().path("calibration").path("ece").asDouble()).isBetween(0.0, 0.2);
        assertThat(r.json().path("classes").toString()).isEqualTo("[\"Adelie\",\"Chinstrap\",\"Gentoo\"]");
    }

    @Test
    void should_evaluate_labelled_rows_given_inline_into_a_known_confusion() {
        // The third row is a Gentoo labelled Adelie: the version answers Gentoo, so the confusion has one Adelie
        // predicted as Gentoo.
        String rows = "[" + labelled(GENTOO, "Gentoo") + ", " + labelled(ADELIE, "Adelie") + ", "
                + labelled(GENTOO.replace("5800", "5700"), "Adelie") + "]";

        Reply r = post("/evaluate", "{\"version\": \"v1\", \"rows\": " + rows + "}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README /evaluate rows: " + r.raw());
        JsonNode m = r.json().path("metrics");
        assertThat(m.path("examples").asInt()).isEqualTo(3);
        assertThat(m.path("accuracy").asDouble()).isEqualTo(0.6667);
        assertThat(m.path("confusion_matrix").path("Adelie").path("Gentoo").asInt()).isEqualTo(1);
        assertThat(m.path("confusion_matrix").path("Adelie").path("Adelie").asInt()).isEqualTo(1);
        assertThat(m.path("confusion_matrix").path("Gentoo").path("Gentoo").asInt()).isEqualTo(1);
        assertThat(m.path("per_class").path("Gentoo").path("precision").asDouble()).isEqualTo(0.5);
        assertThat(m.path("per_class").path("Adelie").path("recall").asDouble()).isEqualTo(0.5);
        assertThat(r.json().path("data").asString()).contains("3 labelled rows");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "label not a class | {\"rows\": [ROW_GENTOO, ROW_EMPEROR]}   | 400 | unknown_label  | rows[1].species",
            "no label          | {\"rows\": [ROW_NONE]}                  | 400 | missing_field  | rows[0].species",
            "bad measurement   | {\"rows\": [ROW_LIGHT]}                 | 400 | out_of_range   | rows[0].body_mass_g",
            "rows not an array | {\"rows\": {}}                          | 400 | invalid_type   | rows",
            "unknown version   | {\"version\": \"v99\"}                  | 404 | unknown_version | version",
            "not a version     | {\"version\": \"latest\"}               | 400 | invalid_value  | version",
            "unknown field     | {\"dataset_id\": \"x\"}                 | 400 | unknown_field  | dataset_id",
    })
    void should_refuse_bad_evaluations_naming_the_field(String name, String body, int status, String error,
                                                        String field) {
        String b = body.replace("ROW_GENTOO", labelled(GENTOO, "Gentoo"))
                .replace("ROW_EMPEROR", labelled(GENTOO, "Emperor"))
                .replace("ROW_NONE", GENTOO)
                .replace("ROW_LIGHT", labelled(GENTOO.replace("5800", "50"), "Gentoo"));

        assertError(post("/evaluate", b), status, error, field);
    }

    @Test
    void should_answer_409_when_the_version_to_evaluate_does_not_load() throws Exception {
        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 2}}");
        String version = trained.json().path("new_model_version").asString();
        java.nio.file.Files.write(dir.resolve("models").resolve(version)
                .resolve(io.bulwark.models.registry.ModelRegistry.MODEL_FILE), new byte[]{42, 42});

        assertError(post("/evaluate", "{\"version\": \"" + version + "\"}"), 409, "unloadable_version", "version");
    }

    private Reply get(String path, boolean admin) {
        return http.request("GET", path, admin ? Map.of("Authorization", "Bearer " + TOKEN) : Map.of(), null);
    }

    private Reply ingest(String contentType, String body) {
        return http.request("POST", "/datasets", Map.of("Content-Type", contentType, "Authorization", "Bearer " + TOKEN),
                body);
    }

    @Test
    void should_ingest_an_upload_reporting_each_rejected_row_and_list_it() {
        Reply r = ingest("text/csv", CSV_HEADER + "Biscoe,48.6,16.0,230,5800,male,Gentoo\n"
                + "Torgersen,39.1,18.7,181,3750,,Adelie\nMars,40,18,190,3500,female,Adelie\n"
                + "Dream,46.5,17.9,192,3500,female,\n");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README POST /datasets upload: " + r.raw());
        JsonNode d = r.json().path("dataset");
        String id = d.path("id").asString();
        assertThat(r.json().path("created").asBoolean()).isTrue();
        assertThat(d.path("rows").asInt()).isEqualTo(2);
        assertThat(d.path("rejected_rows").asInt()).isEqualTo(2);
        assertThat(d.path("source").path("format").asString()).isEqualTo("csv");
        assertThat(d.path("profile").path("sex").path("missing_rate").asDouble()).isEqualTo(0.5);
        assertThat(r.json().path("rejected").get(0).path("field").asString()).isEqualTo("island");
        assertThat(r.json().path("rejected").get(1).path("field").asString()).isEqualTo("species");
        assertThat(Files.isRegularFile(dir.resolve("models").resolve("datasets").resolve(id).resolve("rows.jsonl")))
                .isTrue();

        Reply list = get("/datasets", true);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.json().path("datasets").findValuesAsString("id")).contains(id);
        Reply one = get("/datasets?id=" + id, true);
        assertThat(one.status()).as(one.raw()).isEqualTo(200);
        assertThat(one.json().path("dataset")).isEqualTo(d);
        assertThat(one.json().has("created")).isFalse();
        assertError(get("/datasets?id=ds-0123456789abcdef", true), 404, "unknown_dataset", "id");
        assertError(get("/datasets", false), 401, "unauthorized", "Authorization");
    }

    @Test
    void should_ingest_from_a_named_sqlite_connection_then_train_and_evaluate_on_that_version() throws Exception {
        Reply r = post("/datasets", "{\"source\": \"jdbc\", \"connection\": \"lab\", \"query\": "
                + "\"SELECT * FROM penguins\"}", "Authorization", "Bearer " + TOKEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        System.out.println("README POST /datasets jdbc: " + r.raw());
        String id = r.json().path("dataset").path("id").asString();
        assertThat(r.json().path("dataset").path("rows").asInt()).isEqualTo(342);
        assertThat(r.json().path("dataset").path("rejected_rows").asInt()).isEqualTo(2);

        Reply trained = admin("/train", "{\"algorithm\": \"cart\", \"dataset\": \"" + id + "\"}");
        assertThat(trained.status()).as(trained.raw()).isEqualTo(200);
        System.out.println("README POST /train dataset: " + trained.raw());
        assertThat(trained.json().path("data").asString()).contains(id);
        String version = trained.json().path("new_model_version").asString();
        JsonNode metadata = JSON.readTree(dir.resolve("models").resolve(version).resolve("metadata.json").toFile());
        assertThat(metadata.path("data").path("dataset").asString()).isEqualTo(id);
        assertThat(metadata.path("provenance").path("data_source").asString()).contains(id);
        assertThat(metadata.path("provenance").path("data_sha256").asString())
                .isEqualTo(r.json().path("dataset").path("sha256").asString());

        Reply evaluated = post("/evaluate", "{\"version\": \"" + version + "\", \"dataset\": \"" + id + "\"}");
        assertThat(evaluated.status()).as(evaluated.raw()).isEqualTo(200);
        assertThat(evaluated.json().path("metrics").path("examples").asInt()).isEqualTo(342);
        assertThat(evaluated.json().path("data").asString()).contains(id);
    }

    @Test
    void should_ingest_from_an_allow_listed_http_server_and_refuse_others() {
        String base = "http://127.0.0.1:" + files.getAddress().getPort();
        Reply r = post("/datasets", "{\"source\": \"http\", \"url\": \"" + base + "/penguins.csv\"}",
                "Authorization", "Bearer " + TOKEN);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().path("dataset").path("rows").asInt()).isEqualTo(1);
        assertThat(r.json().path("rejected").get(0).path("error").asString()).isEqualTo("wrong_column_count");

        Reply notListed = post("/datasets", "{\"source\": \"http\", \"url\": \"http://localhost:"
                + files.getAddress().getPort() + "/penguins.csv\"}", "Authorization", "Bearer " + TOKEN);
        Reply redirected = post("/datasets", "{\"source\": \"http\", \"url\": \"" + base + "/elsewhere\"}",
                "Authorization", "Bearer " + TOKEN);
        System.out.println("README POST /datasets refused: " + notListed.raw() + "\n" + redirected.raw());
        assertError(notListed, 400, "url_not_allowed", "url");
        assertError(redirected, 400, "url_not_allowed", "url");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown connection | {\"source\": \"jdbc\", \"connection\": \"prod\", \"query\": \"SELECT 1\"}               | 400 | invalid_value     | connection",
            "a query that writes | {\"source\": \"jdbc\", \"connection\": \"lab\", \"query\": \"DELETE FROM penguins\"}   | 400 | query_not_allowed | query",
            "two statements     | {\"source\": \"jdbc\", \"connection\": \"lab\", \"query\": \"SELECT 1; DROP TABLE penguins\"} | 400 | query_not_allowed | query",
            "no query           | {\"source\": \"jdbc\", \"connection\": \"lab\"}                                         | 400 | missing_field     | query",
            "unknown source     | {\"source\": \"s3\", \"bucket\": \"x\"}                                                 | 400 | invalid_value     | source",
            "no valid row       | [{\"island\": \"Mars\"}]                                                                 | 400 | no_valid_rows     | body",
    })
    void should_refuse_a_bad_ingest_naming_the_field_and_store_nothing(String name, String body, int status,
                                                                       String error, String field) throws Exception {
        long before;
        try (var s = Files.list(dir.resolve("models").resolve("datasets"))) {
            before = s.count();
        }

        Reply r = post("/datasets", body, "Authorization", "Bearer " + TOKEN);
        System.out.println("README POST /datasets refused (" + name + "): " + r.raw());
        assertError(r, status, error, field);

        try (var s = Files.list(dir.resolve("models").resolve("datasets"))) {
            assertThat(s.count()).isEqualTo(before);
        }
    }

    @Test
    void should_refuse_training_and_evaluating_on_an_unknown_dataset_naming_it() {
        assertError(admin("/train", "{\"dataset\": \"ds-0123456789abcdef\"}"), 404, "unknown_dataset", "dataset");
        assertError(admin("/train", "{\"dataset\": \"../etc\"}"), 400, "invalid_value", "dataset");
        assertError(post("/evaluate", "{\"dataset\": \"ds-0123456789abcdef\"}"), 404, "unknown_dataset", "dataset");
    }

    static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
}
