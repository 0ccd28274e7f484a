package io.bulwark.functions.classifier;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /predict_batch} and the prediction log through the running local runner: a batch is logged once it is
 * answered, every row once; a batch refused part-way (413 beyond the row cap, 400 for a body that stops
 * parsing) logs nothing. The row cap is 50 here, so a refused batch has many rows answered before the refusal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PredictionLogBatchIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CSV_HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n";
    static final String CSV_ROW = "Biscoe,48.6,16.0,230,5800,male\n";
    static final String JSON_ROW = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("bulwark.classifier.registry", () -> dir.resolve("models").toString());
        r.add("bulwark.classifier.max-batch-rows", () -> "50");
        r.add("bulwark.prediction-log.backend", () -> "jsonl");
        r.add("bulwark.prediction-log.path", () -> dir.resolve("predictions.jsonl").toString());
    }

    @LocalServerPort
    int port;

    Reply post(String contentType, String body, String requestId) {
        return new HttpClientSupport(port).request("POST", "/predict_batch",
                Map.of("Content-Type", contentType, "X-Request-Id", requestId), body);
    }

    /** The request ids of the log's records that belong to {@code requestId}, in file order. */
    static List<String> logged(String requestId) throws Exception {
        Path log = dir.resolve("predictions.jsonl");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(l -> JSON.readTree(l).path("request_id").asString())
                .filter(id -> id.equals(requestId) || id.startsWith(requestId + "#")).toList();
    }

    @Test
    void should_log_every_row_of_an_answered_batch_once() throws Exception {
        Reply r = post("text/csv", CSV_HEADER + CSV_ROW.repeat(20), "batch-good");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(logged("batch-good")).containsExactlyElementsOf(
                IntStream.range(0, 20).mapToObj(i -> "batch-good#" + i).toList());
    }

    @Test
    void should_log_nothing_of_a_batch_refused_with_413_beyond_the_row_cap() throws Exception {
        Reply r = post("text/csv", CSV_HEADER + CSV_ROW.repeat(51), "batch-413");

        assertThat(r.status()).as(r.raw()).isEqualTo(413);
        assertThat(r.json().path("error").asString()).isEqualTo("too_many_rows");
        assertThat(logged("batch-413")).isEmpty();
    }

    @Test
    void should_log_nothing_of_a_batch_that_stops_parsing_after_some_rows() throws Exception {
        String body = "[" + String.join(",", java.util.Collections.nCopies(30, JSON_ROW)) + ", {\"island\": ";

        Reply r = post("application/json", body, "batch-400");

        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(logged("batch-400")).isEmpty();
    }
}
