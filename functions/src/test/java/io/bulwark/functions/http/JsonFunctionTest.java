package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The body rule of functions whose every field is optional (the admin functions). */
class JsonFunctionTest {

    /** Answers the body it read; takes "version" only. */
    static final class Options extends JsonFunction {
        private final List<String> fields;

        Options(List<String> fields) {
            super(JsonMapper.builder().build());
            this.fields = fields;
        }

        @Override
        public FunctionEndpoints.Endpoint endpoint() {
            return FunctionEndpoints.Endpoint.post("admin");
        }

        @Override
        public Object apply(FunctionRequest request) {
            return optionalJsonObject(request, fields);
        }
    }

    static FunctionRequest post(String body) {
        return new FunctionRequest("POST", "/admin", Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n", "\t \n"})
    void should_read_no_body_or_json_white_space_as_an_empty_object(String body) {
        JsonNode node = (JsonNode) new Options(List.of("version")).apply(post(body));

        assertThat(node.isObject()).isTrue();
        assertThat(node.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0001", "\u0000", "\u000b", "\u00a0"})
    void should_refuse_a_body_of_control_or_non_json_white_space_characters(String body) {
        assertThatThrownBy(() -> new Options(List.of("version")).apply(post(body)))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_json");
                    assertThat(e.field()).isEqualTo("body");
                });
    }

    @Test
    void should_refuse_a_body_that_is_not_an_object() {
        assertThatThrownBy(() -> new Options(List.of()).apply(post("[]")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.code()).isEqualTo("invalid_type"));
    }

    @Test
    void should_refuse_an_unknown_field_naming_it_and_the_known_ones() {
        assertThatThrownBy(() -> new Options(List.of("version")).apply(post("{\"version\": \"v1\", \"force\": true}")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unknown_field");
                    assertThat(e.field()).isEqualTo("force");
                    assertThat(e.getMessage()).contains("/admin").contains("version");
                });
    }

    @Test
    void should_take_only_an_empty_object_where_no_field_is_known() {
        Options none = new Options(List.of());

        assertThat(((JsonNode) none.apply(post("{}"))).isEmpty()).isTrue();
        assertThatThrownBy(() -> none.apply(post("{\"to\": \"v1\"}")))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.field()).isEqualTo("to");
                    assertThat(e.getMessage()).contains("no body");
                });
    }
}
