package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Query parameters reach the function from both API Gateway payload formats, decoded. */
class ApiGatewayQueryTest {

    @Test
    void should_pass_the_raw_query_string_of_an_http_api_event() {
        ObjectNode event = (ObjectNode) ApiGatewayEvents.JSON.readTree(ApiGatewayEvents.event(
                ApiGatewayEvents.Format.HTTP_API_V2, "GET", "/datasets", null));
        event.put("rawQueryString", "id=ds-0123456789abcdef&note=a%20b");

        FunctionRequest r = ApiGatewayFunction.request(event);

        assertThat(r.queryParameter("id")).isEqualTo("ds-0123456789abcdef");
        assertThat(r.queryParameter("note")).isEqualTo("a b");
    }

    @Test
    void should_pass_the_query_parameters_of_a_rest_api_event() {
        ObjectNode event = (ObjectNode) ApiGatewayEvents.JSON.readTree(ApiGatewayEvents.event(
                ApiGatewayEvents.Format.REST_API_V1, "GET", "/datasets", null));
        event.putObject("queryStringParameters").put("id", "ds-0123456789abcdef");

        FunctionRequest r = ApiGatewayFunction.request(event);

        assertThat(r.query()).containsExactlyEntriesOf(java.util.Map.of("id", "ds-0123456789abcdef"));
    }
}
