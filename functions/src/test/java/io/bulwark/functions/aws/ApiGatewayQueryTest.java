package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The query string of API Gateway events reaches the function decoded, as the local runner's does ({@code GET /jobs?id=}). */
class ApiGatewayQueryTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void should_decode_the_raw_query_string_of_an_http_api_event() {
        FunctionRequest r = ApiGatewayFunction.request(JSON.readTree("{\"version\": \"2.0\", \"routeKey\": \"GET /jobs\","
                + " \"rawPath\": \"/jobs\", \"rawQueryString\": \"id=job%2D1&x=a+b\","
                + " \"requestContext\": {\"http\": {\"method\": \"GET\"}}}"));

        assertThat(r.path()).isEqualTo("/jobs");
        assertThat(r.query("id")).isEqualTo("job-1");
        assertThat(r.query("x")).isEqualTo("a b");
    }

    @Test
    void should_take_the_query_parameters_of_a_rest_api_event() {
        FunctionRequest r = ApiGatewayFunction.request(JSON.readTree("{\"httpMethod\": \"GET\", \"path\": \"/jobs\","
                + " \"queryStringParameters\": {\"id\": \"job-1\"}}"));

        assertThat(r.query("id")).isEqualTo("job-1");
        assertThat(ApiGatewayFunction.request(JSON.readTree("{\"httpMethod\": \"GET\", \"path\": \"/jobs\","
                + " \"queryStringParameters\": null}")).query()).isEmpty();
    }
}
