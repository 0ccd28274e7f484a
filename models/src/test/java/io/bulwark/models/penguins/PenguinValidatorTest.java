package io.bulwark.models.penguins;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PenguinValidatorTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static Map<String, JsonNode> json(String text) {
        Map<String, JsonNode> m = new HashMap<>();
        JSON.readTree(text).properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    static Map<String, String> text() {
        Map<String, String> m = new HashMap<>();
        m.put("island", " BISCOE ");
        m.put("bill_length_mm", "48.6");
        m.put("bill_depth_mm", "16");
        m.put("flipper_length_mm", "230");
        m.put("body_mass_g", "5800");
        m.put("sex", "Male");
        return m;
    }

    @Test
    void should_accept_text_values_in_any_case() {
        Penguin p = PenguinValidator.validate(text());

        assertThat(p).isEqualTo(new Penguin(Island.BISCOE, 48.6, 16, 230, 5800, Sex.MALE));
    }

    @Test
    void should_treat_missing_sex_as_unknown() {
        Map<String, String> row = text();
        row.remove("sex");

        assertThat(PenguinValidator.validate(row).sex()).isEqualTo(Sex.UNKNOWN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no island        | {\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":3500} | missing_field | island",
            "unknown island   | {\"island\":\"Mars\",\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":3500} | invalid_value | island",
            "number island    | {\"island\":3,\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":3500} | invalid_type | island",
            "string number    | {\"island\":\"Dream\",\"bill_length_mm\":\"40\",\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":3500} | invalid_type | bill_length_mm",
            "null depth       | {\"island\":\"Dream\",\"bill_length_mm\":40,\"bill_depth_mm\":null,\"flipper_length_mm\":190,\"body_mass_g\":3500} | invalid_type | bill_depth_mm",
            "mass too low     | {\"island\":\"Dream\",\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":999} | out_of_range | body_mass_g",
            "mass too high    | {\"island\":\"Dream\",\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":10001} | out_of_range | body_mass_g",
            "flipper too long | {\"island\":\"Dream\",\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":301,\"body_mass_g\":3500} | out_of_range | flipper_length_mm",
            "bad sex          | {\"island\":\"Dream\",\"bill_length_mm\":40,\"bill_depth_mm\":18,\"flipper_length_mm\":190,\"body_mass_g\":3500,\"sex\":\"x\"} | invalid_value | sex",
    })
    void should_name_the_field_at_fault(String name, String body, String code, String field) {
        assertThatThrownBy(() -> PenguinValidator.validate(json(body)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(field);
                });
    }

    @Test
    void should_accept_the_body_mass_bounds_themselves() {
        Map<String, String> row = text();
        row.put("body_mass_g", "1000");
        assertThat(PenguinValidator.validate(row).bodyMassG()).isEqualTo(1000);
        row.put("body_mass_g", "10000");
        assertThat(PenguinValidator.validate(row).bodyMassG()).isEqualTo(10000);
    }

    @Test
    void should_say_the_range_when_out_of_it() {
        Map<String, String> row = text();
        row.put("body_mass_g", "50");

        assertThatThrownBy(() -> PenguinValidator.validate(row))
                .hasMessage("\"body_mass_g\" must be between 1000 and 10000 g, not 50");
    }

    @Test
    void should_reject_text_that_is_not_a_number() {
        Map<String, String> row = text();
        row.put("bill_depth_mm", "deep");

        assertThatThrownBy(() -> PenguinValidator.validate(row)).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.code()).isEqualTo("invalid_type"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1e999999", "-1e999999", "1e-400", "123456789012345678901234567890", "-9223372036854775809"})
    void should_refuse_a_json_number_past_doubles_range_naming_the_field(String number) {
        var row = json("{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
                + "\"flipper_length_mm\": " + number + ", \"body_mass_g\": 5800}");

        assertThatThrownBy(() -> PenguinValidator.validate(row)).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.field()).isEqualTo("flipper_length_mm"));
    }

    @Test
    void should_refuse_a_thousand_digit_whole_number_naming_the_field() {
        var row = json("{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
                + "\"flipper_length_mm\": 1" + "0".repeat(999) + ", \"body_mass_g\": 5800}");

        assertThatThrownBy(() -> PenguinValidator.validate(row)).isInstanceOfSatisfying(RequestRejected.class,
                e -> assertThat(e.field()).isEqualTo("flipper_length_mm"));
    }
}
