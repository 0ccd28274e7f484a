package io.bulwark.models.dataset;

import io.bulwark.models.penguins.Penguin;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.TrainingData;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DatasetStoreTest {

    static final PenguinModelType PENGUINS = PenguinModelType.bundled();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,species\n";

    @TempDir
    Path dir;

    DatasetStore<Penguin> store(long maxRows) {
        return new DatasetStore<>(dir.resolve("datasets"), PENGUINS, JSON, CLOCK, maxRows);
    }

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    DatasetStore.Ingested ingest(DatasetStore<Penguin> store, String contentType, String body) {
        DatasetFormats.Opened opened = DatasetFormats.open(contentType, text(body));
        try (var rows = opened.rows()) {
            return store.ingest(rows, DatasetStore.source("type", "upload", "format", opened.format()), "body");
        }
    }

    @Test
    void should_store_accepted_rows_and_report_every_rejected_row_with_its_reason() throws Exception {
        String csv = HEADER
                + "Biscoe,48.6,16.0,230,5800,male,Gentoo\n"
                + "Torgersen,39.1,18.7,181,3750,,Adelie\n"
                + "Mars,40,18,190,3500,female,Adelie\n"          // unknown island
                + "Dream,46.5,17.9,192,50,female,Chinstrap\n"    // body mass out of range
                + "Dream,46.5,17.9,192,3500,female,\n"           // no label
                + "Dream,46.5\n"                                  // wrong column count
                + "Dream,49.0,19.5,210,3950,male,Chinstrap\n";
        DatasetStore<Penguin> store = store(1000);

        DatasetStore.Ingested in = ingest(store, "text/csv", csv);

        DatasetVersion v = in.version();
        assertThat(in.created()).isTrue();
        assertThat(v.id()).matches("ds-[0-9a-f]{16}");
        assertThat(v.rows()).isEqualTo(3);
        assertThat(v.rejectedRows()).isEqualTo(4);
        assertThat(v.labels()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("Adelie", 1L, "Chinstrap", 1L,
                "Gentoo", 1L)));
        assertThat(v.schema()).extracting(DatasetVersion.Column::name).containsExactly("island", "bill_length_mm",
                "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "species");
        assertThat(v.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("datasets").resolve(v.id())
                        .resolve(DatasetStore.ROWS_FILE)))));
        List<RejectedRow> rejected = store.rejected(v.id(), 100);
        assertThat(rejected).extracting(RejectedRow::index).containsExactly(2L, 3L, 4L, 5L);
        assertThat(rejected).extracting(RejectedRow::field).containsExactly("island", "body_mass_g", "species", "row");
        assertThat(rejected).extracting(RejectedRow::error).containsExactly("invalid_value", "out_of_range",
                "empty_field", "wrong_column_count");
        assertThat(rejected.getFirst().row().path("island").asString()).isEqualTo("Mars");
        assertThat(rejected.getLast().row()).isNull();
        assertThat(v.profile().get("sex").missing()).isEqualTo(1);
        assertThat(v.profile().get("sex").missingRate()).isEqualTo(0.3333);
        assertThat(v.profile().get("island").frequencies()).containsEntry("Biscoe", 1L).containsEntry("Dream", 1L);
        assertThat(store.get(v.id(), "dataset")).isEqualTo(v);
        assertThat(store.list()).containsExactly(v);
    }

    @Test
    void should_profile_numbers_with_quantiles_and_a_histogram() {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i <= 100; i++) { // body mass 3000, 3050, ..., 8000
            jsonl.append("{\"island\": \"Biscoe\", \"bill_length_mm\": 45, \"bill_depth_mm\": 15, "
                    + "\"flipper_length_mm\": 210, \"body_mass_g\": ").append(3000 + 50 * i)
                    .append(", \"species\": \"Gentoo\"}\n");
        }

        DatasetVersion v = ingest(store(1000), null, jsonl.toString()).version();

        FeatureProfile mass = v.profile().get("body_mass_g");
        assertThat(mass.type()).isEqualTo("number");
        assertThat(mass.min()).isEqualTo(3000);
        assertThat(mass.max()).isEqualTo(8000);
        assertThat(mass.mean()).isEqualTo(5500);
        assertThat(mass.quantiles().get("p50")).isCloseTo(5500, within(10.0));
        assertThat(mass.quantiles().get("p25")).isCloseTo(4250, within(60.0));
        assertThat(mass.quantiles().get("p99")).isCloseTo(7950, within(60.0));
        assertThat(mass.histogram().counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(101);
        assertThat(mass.histogram().edges()).hasSize(11).startsWith(3000.0).endsWith(8000.0);
        assertThat(mass.histogram().counts().getFirst()).isEqualTo(10);
        FeatureProfile bill = v.profile().get("bill_length_mm");
        assertThat(bill.std()).isZero();
        assertThat(bill.quantiles().get("p50")).isEqualTo(45);
        assertThat(v.profile().get("sex").missingRate()).isEqualTo(1.0);
    }

    @Test
    void should_read_a_json_array_and_json_lines_and_xml_alike() {
        String row = "{\"island\": \"Dream\", \"bill_length_mm\": 49.0, \"bill_depth_mm\": 19.5, "
                + "\"flipper_length_mm\": 210, \"body_mass_g\": 3950, \"sex\": \"male\", \"species\": \"Chinstrap\"}";
        DatasetStore<Penguin> store = store(1000);

        DatasetStore.Ingested array = ingest(store, "application/json", "[" + row + "," + row + "]");
        DatasetStore.Ingested lines = ingest(store, "application/x-ndjson", row + "\n" + row + "\n");
        DatasetStore.Ingested xml = ingest(store, null, "<rows><row island=\"Dream\" bill_length_mm=\"49.0\""
                + " bill_depth_mm=\"19.5\" flipper_length_mm=\"210\" body_mass_g=\"3950\" sex=\"male\""
                + " species=\"Chinstrap\"/><row><island>Dream</island><bill_length_mm>49</bill_length_mm>"
                + "<bill_depth_mm>19.5</bill_depth_mm><flipper_length_mm>210</flipper_length_mm>"
                + "<body_mass_g>3950</body_mass_g><sex>male</sex><species>Chinstrap</species></row></rows>");

        assertThat(array.created()).isTrue();
        assertThat(array.version().rows()).isEqualTo(2);
        // The same rows, validated, are stored the same way: one content, one version.
        assertThat(lines.created()).isFalse();
        assertThat(lines.version().id()).isEqualTo(array.version().id());
        assertThat(xml.version().id()).isEqualTo(array.version().id());
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void should_leave_nothing_behind_when_the_body_stops_parsing_half_way() throws Exception {
        String row = "{\"island\": \"Dream\", \"bill_length_mm\": 49.0, \"bill_depth_mm\": 19.5, "
                + "\"flipper_length_mm\": 210, \"body_mass_g\": 3950, \"species\": \"Chinstrap\"}";
        DatasetStore<Penguin> store = store(1000);

        assertThatThrownBy(() -> ingest(store, "application/json", "[" + row + ", " + row + ", {\"island\": "))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("malformed_json"));

        try (Stream<Path> s = Files.list(dir.resolve("datasets"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void should_refuse_a_source_past_the_row_cap_and_one_without_a_valid_row() throws Exception {
        String row = "Dream,49.0,19.5,210,3950,male,Chinstrap\n";
        DatasetStore<Penguin> store = store(2);

        assertThatThrownBy(() -> ingest(store, "text/csv", HEADER + row + row + row))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.field()).isEqualTo("body");
                });
        assertThatThrownBy(() -> ingest(store, "text/csv", HEADER + "Mars,1,1,1,1,male,X\n"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("no_valid_rows");
                    assertThat(e.getMessage()).contains("row 0").contains("island");
                });
        try (Stream<Path> s = Files.list(dir.resolve("datasets"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void should_give_its_rows_back_as_training_data_that_names_the_dataset() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (Labelled<Penguin> r : PENGUINS.data().rows()) {
            Penguin p = r.input();
            csv.append(p.island().wire()).append(',').append(p.billLengthMm()).append(',').append(p.billDepthMm())
                    .append(',').append(p.flipperLengthMm()).append(',').append(p.bodyMassG()).append(',')
                    .append(p.sex().wire()).append(',').append(r.label()).append('\n');
        }
        DatasetStore<Penguin> store = store(1000);
        DatasetVersion v = ingest(store, "text/csv", csv.toString()).version();

        TrainingData<Penguin> data = store.data(v.id(), "dataset");

        assertThat(data.rows()).isEqualTo(PENGUINS.data().rows());
        assertThat(data.source()).contains(v.id());
        assertThat(data.sha256()).isEqualTo(v.sha256());
        assertThat(JSON.valueToTree(data.summary(data.split(0.2, 42))).path("dataset").asString()).isEqualTo(v.id());
    }

    @Test
    void should_answer_404_for_an_unknown_dataset_and_400_for_a_malformed_id() {
        DatasetStore<Penguin> store = store(10);

        assertThatThrownBy(() -> store.get("ds-0123456789abcdef", "dataset"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("unknown_dataset");
                    assertThat(e.field()).isEqualTo("dataset");
                });
        assertThatThrownBy(() -> store.get("../../etc", "dataset"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
