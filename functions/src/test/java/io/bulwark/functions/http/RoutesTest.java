package io.bulwark.functions.http;

import io.bulwark.resilience.SimulatedTime;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routes with path variables in the dispatcher: values decoded per segment, a literal before a variable, several
 * methods on one path, each function's own error form, and routes refused when they are declared wrong.
 */
class RoutesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers its route and its path variables; "bad" in a variable is refused. */
    record Probe(FunctionEndpoints.Endpoint endpoint, boolean ownErrors) implements HttpFunction {

        Probe(String method, String route) {
            this(new FunctionEndpoints.Endpoint(route, method), false);
        }

        @Override
        public Object apply(FunctionRequest request) {
            if (request.pathParameters().containsValue("bad")) {
                throw new RequestRejected(404, "unknown", "id", "no such thing");
            }
            return Map.of("route", endpoint.name(), "method", endpoint.method(), "values", request.pathParameters());
        }

        @Override
        public Object errorBody(ApiError error) {
            return ownErrors ? Map.of("error", error.message()) : error;
        }
    }

    final List<FunctionCall> calls = new ArrayList<>();
    final FunctionDispatcher dispatcher = new FunctionDispatcher(List.of(
            new Probe("GET", "jobs"),
            new Probe("POST", "jobs"),
            new Probe("GET", "jobs/{id}"),
            new Probe("GET", "jobs/stats"),
            new Probe("GET", "{kind}/stats/{id}"),
            new Probe(new FunctionEndpoints.Endpoint("v2/models/{name}/infer", "POST"), true),
            new Probe("GET", "v2/models/{name}/versions/{version}")), JSON, calls::add, new SimulatedTime());

    JsonNode call(String method, String path, int status) {
        FunctionResponse r = dispatcher.dispatch(new FunctionRequest(method, path, Map.of(),
                "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).as(method + " " + path + ": " + new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void should_hand_the_function_its_path_variables_decoded_segment_by_segment() {
        JsonNode r = call("GET", "/v2/models/pen%2Fguins/versions/v%31/", 200);

        assertThat(r.path("route").asString()).isEqualTo("v2/models/{name}/versions/{version}");
        assertThat(r.path("values").path("name").asString()).isEqualTo("pen/guins");
        assertThat(r.path("values").path("version").asString()).isEqualTo("v1");
        assertThat(calls.getLast().function()).isEqualTo("v2/models/{name}/versions/{version}");
    }

    @Test
    void should_prefer_a_literal_to_a_variable_and_route_by_method() {
        assertThat(call("GET", "/jobs/stats", 200).path("route").asString()).isEqualTo("jobs/stats");
        assertThat(call("GET", "/jobs/42", 200).path("values").path("id").asString()).isEqualTo("42");
        assertThat(call("GET", "/jobs", 200).path("method").asString()).isEqualTo("GET");
        assertThat(call("POST", "/jobs", 200).path("method").asString()).isEqualTo("POST");
        assertThat(call("GET", "/x/stats/7", 200).path("values").path("kind").asString()).isEqualTo("x");
    }

    @Test
    void should_answer_404_for_no_route_and_405_naming_the_methods_of_the_path() {
        assertThat(call("GET", "/jobs/1/2", 404).path("error").asString()).isEqualTo("not_found");
        assertThat(call("GET", "/v2/models//infer", 404).path("error").asString()).isEqualTo("not_found");
        assertThat(call("DELETE", "/jobs", 405).path("message").asString()).isEqualTo("jobs takes GET or POST, not DELETE");
        assertThat(call("GET", "/bad%zz", 400).path("field").asString()).isEqualTo("path");
    }

    @Test
    void should_answer_refusals_in_the_form_of_the_function_that_refused() {
        JsonNode refused = call("POST", "/v2/models/bad/infer", 404);
        JsonNode wrongMethod = call("GET", "/v2/models/penguins/infer", 405);
        JsonNode contract = call("GET", "/jobs/bad", 404);

        assertThat(refused.propertyNames()).containsExactly("error");
        assertThat(refused.path("error").asString()).isEqualTo("no such thing");
        assertThat(wrongMethod.path("error").asString()).isEqualTo("v2/models/{name}/infer takes POST, not GET");
        assertThat(contract.path("error").asString()).isEqualTo("unknown");
        assertThat(contract.path("message").asString()).isEqualTo("no such thing");
    }

    @Test
    void should_refuse_routes_declared_twice_or_malformed() {
        assertThatThrownBy(() -> new FunctionDispatcher(List.of(new Probe("GET", "jobs/{id}"),
                new Probe("GET", "jobs/{id}")), JSON, c -> { }, new SimulatedTime()))
                .hasMessageContaining("two functions at GET /jobs/{id}");
        assertThatThrownBy(() -> new FunctionDispatcher(List.of(new Probe("GET", "jobs/{id}"),
                new Probe("POST", "jobs/{job}")), JSON, c -> { }, new SimulatedTime()))
                .hasMessageContaining("match the same paths");
        assertThatThrownBy(() -> new FunctionEndpoints.Endpoint("jobs/{id", "GET"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FunctionEndpoints.Endpoint("a//b", "GET"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FunctionEndpoints.Endpoint("a/{x}/{x}", "GET"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
