package io.bulwark.functions.aws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS Lambda entry function ({@value #NAME}): an API Gateway event in, an API Gateway proxy
 * response out, for REST APIs (payload format 1.0) and HTTP APIs (2.0) alike. Spring Cloud Function's
 * {@code FunctionInvoker} is the Lambda handler and calls it with the raw event; the request goes to the
 * {@link FunctionDispatcher} like any other runtime's.
 * <p>
 * Taking the raw event and answering with an AWS event type keeps the invoker's own API Gateway mapping
 * out of the way: it does not decode {@code isBase64Encoded} bodies, logs whole events, and copies
 * Spring's internal message headers ({@code id}, {@code timestamp}, {@code contentType}) into the
 * HTTP response.
 */
public final class ApiGatewayFunction implements java.util.function.Function<InputStream, APIGatewayProxyResponseEvent> {

    /** The bean name; {@code spring.cloud.function.definition} names it so the invoker never routes elsewhere. */
    public static final String NAME = "apiGateway";

    private final FunctionDispatcher dispatcher;
    private final JsonMapper json;

    public ApiGatewayFunction(FunctionDispatcher dispatcher, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.json = json;
    }

    @Override
    public APIGatewayProxyResponseEvent apply(InputStream event) {
        FunctionResponse response;
        try {
            response = dispatcher.dispatch(request(read(event)));
        } catch (RequestRejected e) {
            response = dispatcher.refuse(e);
        }
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                // Empty rather than null: REST APIs merge it with headers; HTTP APIs ignore it.
                .withMultiValueHeaders(Map.of())
                .withBody(new String(response.body(), StandardCharsets.UTF_8))
                .withIsBase64Encoded(false);
    }

    private JsonNode read(InputStream event) {
        try (event) {
            JsonNode node = json.readTree(event);
            if (node == null || !node.isObject()) {
                throw notApiGateway();
            }
            return node;
        } catch (JacksonException e) {
            throw notApiGateway();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maps a 1.0 (REST API) or 2.0 (HTTP API) event to the request the dispatcher takes. */
    static FunctionRequest request(JsonNode event) {
        boolean v2 = "2.0".equals(event.path("version").asString(""));
        String method = v2 ? event.path("requestContext").path("http").path("method").asString(null)
                : event.path("httpMethod").asString(null);
        if (method == null) {
            throw notApiGateway();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!v2) {
            event.path("multiValueHeaders").properties().forEach(e -> headers.put(e.getKey(), join(e.getValue())));
        }
        event.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString("")));
        JsonNode cookies = event.path("cookies");
        if (v2 && cookies.isArray() && !cookies.isEmpty()) {
            headers.put("cookie", join(cookies).replace(",", "; "));
        }
        // API Gateway's id of the request (both formats): the request's id when the caller sends no X-Request-Id.
        String platformId = event.path("requestContext").path("requestId").asString(null);
        FunctionRequest request = new FunctionRequest(method, v2 ? v2Path(event) : event.path("path").asString(""),
                headers, body(event), platformId);
        if (v2) {
            return request.withQuery(event.path("rawQueryString").asString(""));
        }
        Map<String, String> query = new LinkedHashMap<>();
        event.path("queryStringParameters").properties().forEach(e -> query.put(e.getKey(), e.getValue().asString("")));
        return request.withQuery(query);
    }

    /** The route's path for an explicit route ({@code POST /sentiment}), else the raw path less the stage. */
    private static String v2Path(JsonNode event) {
        String routeKey = event.path("routeKey").asString("$default");
        int space = routeKey.indexOf(' ');
        if (space > 0 && !routeKey.contains("{")) {
            return routeKey.substring(space + 1);
        }
        String path = event.path("rawPath").asString("");
        String stage = event.path("requestContext").path("stage").asString("$default");
        if (!"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        return path;
    }

    private static byte[] body(JsonNode event) {
        JsonNode body = event.path("body");
        if (!body.isString()) {
            return new byte[0];
        }
        if (!event.path("isBase64Encoded").asBoolean(false)) {
            return body.asString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(body.asString());
        } catch (IllegalArgumentException e) {
            throw new RequestRejected("malformed_body", "body",
                    "the event says the body is base64-encoded, but it is not valid base64");
        }
    }

    private static String join(JsonNode values) {
        if (!values.isArray()) {
            return values.asString("");
        }
        StringBuilder joined = new StringBuilder();
        values.forEach(v -> joined.append(joined.isEmpty() ? "" : ",").append(v.asString("")));
        return joined.toString();
    }

    private static RequestRejected notApiGateway() {
        return new RequestRejected(400, "unsupported_event", "event",
                "this function takes API Gateway proxy events (REST payload 1.0 or HTTP API 2.0)");
    }
}
