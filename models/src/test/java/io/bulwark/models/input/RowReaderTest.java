package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("unchecked")
class RowReaderTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Row> all(InputFormat f, String body) {
        List<Row> rows = new ArrayList<>();
        try (RowReader r = RowReader.open(f, bytes(body), true)) {
            for (Row row = r.next(); row != null; row = r.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "application/json           | {}         | JSON",
            "application/json; charset=utf-8 | x     | JSON",
            "text/csv                   | {}         | CSV",
            "application/xml            | a          | XML",
            "text/xml                   | a          | XML",
            "                           | '  [1]'    | JSON",
            "text/plain                 | <p/>       | XML",
            "application/octet-stream   | a,b        | CSV",
    })
    void should_detect_the_format_from_the_content_type_or_else_the_body(String type, String body, InputFormat expected) {
        assertThat(InputFormat.detect(type, bytes(body))).isEqualTo(expected);
    }

    @Test
    void should_refuse_a_content_type_naming_another_format() {
        assertThatThrownBy(() -> InputFormat.detect("image/png", bytes("x")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> InputFormat.detect("application/x-www-form-urlencoded", bytes("{}")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.getMessage()).contains("curl -d"));
    }

    @Test
    void should_read_json_array_elements_in_order_with_a_bad_element_as_a_row_error() {
        List<Row> rows = all(InputFormat.JSON, "[{\"island\":\"Dream\"}, 3, [1,2], {\"island\":\"Biscoe\"}]");

        assertThat(rows).extracting(Row::index).containsExactly(0, 1, 2, 3);
        assertThat(rows.get(0).values().get("island").toString()).contains("Dream");
        assertThat(rows.get(1).error().code()).isEqualTo("invalid_type");
        assertThat(rows.get(2).error()).isNotNull();
        assertThat(rows.get(3).values().get("island").toString()).contains("Biscoe");
    }

    @Test
    void should_fail_the_whole_body_on_broken_json_syntax() {
        assertThatThrownBy(() -> all(InputFormat.JSON, "[{\"island\":\"Dream\"}, {\"isl"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("malformed_json"));
    }

    @Test
    void should_read_csv_rows_by_header_and_flag_a_short_row() {
        List<Row> rows = all(InputFormat.CSV, "Island, Sex\nDream,male\n\nBiscoe\n\"Torgersen\",\"female\"\n");

        assertThat(rows).hasSize(3);
        assertThat((java.util.Map<String, Object>) rows.get(0).values()).containsEntry("island", "Dream").containsEntry("sex", "male");
        assertThat(rows.get(1).error().code()).isEqualTo("wrong_column_count");
        assertThat((java.util.Map<String, Object>) rows.get(2).values()).containsEntry("island", "Torgersen");
    }

    @Test
    void should_read_xml_rows_from_elements_and_attributes() {
        List<Row> rows = all(InputFormat.XML, "<?xml version=\"1.0\"?><penguins><penguin><island>Dream</island>"
                + "<sex>male</sex></penguin><!-- c --><penguin island=\"Biscoe\"/></penguins>");

        assertThat(rows).hasSize(2);
        assertThat((java.util.Map<String, Object>) rows.get(0).values()).containsEntry("island", "Dream").containsEntry("sex", "male");
        assertThat((java.util.Map<String, Object>) rows.get(1).values()).containsEntry("island", "Biscoe");
    }

    @Test
    void should_refuse_xml_with_a_dtd() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<penguin><island>&x;</island></penguin>";

        assertThatThrownBy(() -> RowReader.single(InputFormat.XML, bytes(xxe))).isInstanceOf(RequestRejected.class);
    }

    @Test
    void should_refuse_two_rows_for_a_single_prediction() {
        assertThatThrownBy(() -> RowReader.single(InputFormat.CSV, bytes("island\nDream\nBiscoe\n")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("too_many_rows"));
    }
}
