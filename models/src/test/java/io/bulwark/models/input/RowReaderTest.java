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
    /** What a refusal may not say: the parsers' own vocabulary (types, feature flags, frames). */
    static void assertInCallersTerms(RequestRejected e) {
        assertThat(e.getMessage()).doesNotContain("`").doesNotContain("StreamReadConstraints")
                .doesNotContain("ParseError").doesNotContain("[row,col]").doesNotContain("Source: REDACTED")
                .doesNotContain("jackson").doesNotContain("javax").doesNotContain("w3.org").doesNotContain("elementGetText")
                .doesNotContain("Exception");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a row that is an array with a dangling comma   | [[1,]]",
            "a row that is an array holding a bad object    | [{\"island\": \"Dream\"}, [{8}]]",
            "a row that is an array nested past the limit   | NEST_ARRAY",
            "a field nested past the limit                  | NEST_FIELD",
            "an unclosed object inside the array            | [{]",
            "a body cut inside a row                        | '[{\"island\": \"Dream\"'",
            "a body cut inside a nested array               | [[[[",
    })
    void should_refuse_a_json_batch_with_a_syntax_error_inside_a_row_as_malformed_json(String name, String body) {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        String b = switch (body) {
            case "NEST_ARRAY" -> "[" + deep + "]";
            case "NEST_FIELD" -> "[{\"island\": " + deep + "}]";
            default -> body;
        };

        assertThatThrownBy(() -> all(InputFormat.JSON, b)).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.code()).isEqualTo("malformed_json");
            assertThat(e.field()).isEqualTo("body");
            assertInCallersTerms(e);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cut inside the object  | '{\"island\": \"Dream\"'",
            "cut after the brace    | {",
            "cut inside an array    | '{\"island\": [1, 2'",
    })
    void should_describe_a_cut_off_json_body_without_the_parsers_source_description(String name, String body) {
        assertThatThrownBy(() -> RowReader.single(InputFormat.JSON, bytes(body)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_json");
                    assertThat(e.getMessage()).contains("end-of-input").contains("line 1, column");
                    assertInCallersTerms(e);
                });
    }

    @Test
    void should_say_how_deep_json_may_nest_without_naming_the_parser_limit() {
        String deep = "{\"island\": " + "[".repeat(2000) + "]".repeat(2000) + "}";

        assertThatThrownBy(() -> RowReader.single(InputFormat.JSON, bytes(deep)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.getMessage()).contains("nesting depth").contains("500");
                    assertInCallersTerms(e);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unclosed element          | <penguin><island>Dream</island>           | line 1, column",
            "attribute given twice     | <penguin island='a' island='b'/>          | attribute is given twice",
            "unbound namespace prefix  | <p:penguin/>                              | namespace prefix",
            "control character         | <penguin>\u0001</penguin>                | line 1, column",
            "undeclared entity         | <penguin><island>&x;</island></penguin>   | line 1, column",
    })
    void should_describe_broken_xml_in_the_callers_terms_with_line_and_column(String name, String body, String says) {
        String b = body.replace("\\u0001", "\u0001");

        assertThatThrownBy(() -> RowReader.single(InputFormat.XML, bytes(b)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_xml");
                    assertThat(e.getMessage()).contains(says);
                    assertInCallersTerms(e);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "internal entity      | <!DOCTYPE p [<!ENTITY x 'Dream'>]><penguin><island>&x;</island></penguin>",
            "external entity      | <!DOCTYPE p [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><penguin><island>&x;</island></penguin>",
            "entity expansion     | <!DOCTYPE p [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><penguin><island>&b;</island></penguin>",
            "external DTD only    | <!DOCTYPE p SYSTEM 'http://127.0.0.1:9/p.dtd'><penguin/>",
    })
    void should_refuse_any_doctype_saying_so(String name, String body) {
        assertThatThrownBy(() -> RowReader.single(InputFormat.XML, bytes(body)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_xml");
                    assertThat(e.getMessage()).contains("DOCTYPE");
                    assertInCallersTerms(e);
                });
    }

    @Test
    void should_refuse_a_character_reference_to_nul_as_malformed_xml_not_a_bug() {
        // Woodstox finds it late, in getText(), and throws it unchecked (FuzzIT: a 500 before this was caught).
        String body = "<penguin><island>&amp;&lt;&#x41;&#65;&#0;</island></penguin>";
        for (boolean many : new boolean[]{false, true}) {
            assertThatThrownBy(() -> {
                if (many) {
                    all(InputFormat.XML, "<rows>" + body + "</rows>");
                } else {
                    RowReader.single(InputFormat.XML, bytes(body));
                }
            }).isInstanceOfSatisfying(RequestRejected.class, e -> {
                assertThat(e.code()).isEqualTo("malformed_xml");
                assertInCallersTerms(e);
            });
        }
    }

    @Test
    void should_make_an_xml_field_holding_elements_a_row_error_and_read_the_next_row() {
        List<Row> rows = all(InputFormat.XML, "<rows><row><island><x>Dream</x></island></row><row island=\"Biscoe\"/></rows>");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).error().code()).isEqualTo("invalid_type");
        assertThat(rows.get(0).error().field()).isEqualTo("island");
        assertInCallersTerms(rows.get(0).error());
        assertThat((java.util.Map<String, Object>) rows.get(1).values()).containsEntry("island", "Biscoe");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a second root element   | <penguin island='Dream'/><penguin island='Biscoe'/>",
            "text after the root     | <penguin island='Dream'/>trailing",
            "a batch then an element | <penguins><penguin island='Dream'/></penguins><more/>",
    })
    void should_refuse_xml_with_content_after_the_root_element(String name, String body) {
        assertThatThrownBy(() -> RowReader.single(InputFormat.XML, bytes(body))).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.code()).isEqualTo("malformed_xml");
            assertInCallersTerms(e);
        });
        assertThatThrownBy(() -> all(InputFormat.XML, body)).isInstanceOf(RequestRejected.class);
    }

    @Test
    void should_accept_comments_and_white_space_after_the_root_element() {
        assertThat(RowReader.single(InputFormat.XML, bytes("<penguin island='Dream'/>\n<!-- sent by x -->\n<?pi?>\n"))
                .values()).containsKey("island");
    }
}
