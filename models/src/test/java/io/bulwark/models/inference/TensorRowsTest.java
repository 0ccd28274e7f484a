package io.bulwark.models.inference;

import io.bulwark.models.InputField;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tensors of a field that holds an array, as a digit model's pixels ({@code [28, 28]} or {@code [784]}) would: each
 * row becomes a nested array of the shape the tensor gave, from flat or nested data and any number type; a shape the
 * field does not list is refused naming the input and the shapes it takes.
 */
class TensorRowsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<InputField> PIXELS = List.of(InputField.numbers("pixels", List.of(2, 2), List.of(4)));

    static List<Map<String, JsonNode>> rows(String tensor) {
        return TensorRows.rows("digits", PIXELS,
                InferenceRequest.parse(JSON.readTree("{\"inputs\": [" + tensor + "]}")).inputs());
    }

    @Test
    void should_give_each_row_a_grid_of_the_tensors_shape_from_flat_or_nested_data() {
        List<Map<String, JsonNode>> flat = rows("{\"name\": \"pixels\", \"shape\": [2, 2, 2], \"datatype\": \"UINT8\","
                + " \"data\": [0, 1, 2, 3, 4, 5, 6, 255]}");
        List<Map<String, JsonNode>> nested = rows("{\"name\": \"pixels\", \"shape\": [1, 2, 2], \"datatype\": \"FP32\","
                + " \"data\": [[[0.0, 0.5], [1.0, 0.25]]]}");
        List<Map<String, JsonNode>> vector = rows("{\"name\": \"pixels\", \"shape\": [1, 4], \"datatype\": \"FP16\","
                + " \"data\": [0.1, 0.2, 0.3, 0.4]}");

        assertThat(flat).hasSize(2);
        assertThat(flat.get(0).get("pixels").toString()).isEqualTo("[[0,1],[2,3]]");
        assertThat(flat.get(1).get("pixels").toString()).isEqualTo("[[4,5],[6,255]]");
        assertThat(nested.getFirst().get("pixels").toString()).isEqualTo("[[0.0,0.5],[1.0,0.25]]");
        assertThat(vector.getFirst().get("pixels").toString()).isEqualTo("[0.1,0.2,0.3,0.4]");
    }

    @Test
    void should_refuse_a_shape_the_field_does_not_take_or_a_pixel_out_of_uint8() {
        assertThatThrownBy(() -> rows("{\"name\": \"pixels\", \"shape\": [1, 3], \"datatype\": \"FP32\","
                + " \"data\": [1, 2, 3]}"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "input 'pixels' has shape [1, 3], but model digits takes [N, 2, 2] or [N, 4] (N rows)"));
        assertThatThrownBy(() -> rows("{\"name\": \"pixels\", \"shape\": [1, 4], \"datatype\": \"UINT8\","
                + " \"data\": [1, 2, 3, 256]}"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.getMessage())
                        .startsWith("input 'pixels': element 3 is 256, outside UINT8's range 0..255"));
        assertThatThrownBy(() -> rows("{\"name\": \"pixels\", \"shape\": [1, 4], \"datatype\": \"BYTES\","
                + " \"data\": [\"a\", \"b\", \"c\", \"d\"]}"))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("invalid_datatype"));
    }
}
