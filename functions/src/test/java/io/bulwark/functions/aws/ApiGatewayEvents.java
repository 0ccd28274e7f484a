package io.bulwark.functions.aws;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * API Gateway events for tests, made from the filled SAM CLI templates in {@code src/test/resources/events/}
 * with the method, path and body of each case.
 */
final class ApiGatewayEvents {

    /** The two payload formats API Gateway sends to Lambda. */
    enum Format {
        HTTP_API_V2("events/http-api-v2-sentiment.json"),
        REST_API_V1("events/rest-api-v1-sentiment.json");

        final String fixture;

        Format(String fixture) {
            this.fixture = fixture;
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiGatewayEvents() {
    }

    /** Returns the fixture as filled, unchanged. */
    static String fixture(Format format) {
        try (InputStream in = ApiGatewayEvents.class.getClassLoader().getResourceAsStream(format.fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the fixture for {@code method /path}, its body base64-encoded as the templates have it. */
    static String event(Format format, String method, String path, String body) {
        return event(format, method, path, body, true);
    }

    static String event(Format format, String method, String path, String body, boolean base64) {
        ObjectNode event = (ObjectNode) JSON.readTree(fixture(format));
        if (format == Format.HTTP_API_V2) {
            ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
            http.put("method", method);
            http.put("path", path);
            event.put("rawPath", path);
        } else {
            event.put("httpMethod", method);
            event.put("path", path);
            event.put("resource", path);
            ObjectNode context = (ObjectNode) event.path("requestContext");
            context.put("httpMethod", method);
            context.put("resourcePath", path);
            context.put("path", "/" + context.path("stage").asString() + path);
            ((ObjectNode) event.path("pathParameters")).put("proxy", path);
        }
        if (body == null) {
            event.putNull("body");
        } else {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        event.put("isBase64Encoded", body != null && base64);
        return JSON.writeValueAsString(event);
    }

    /**
     * Returns the fixture of the route {@code POST /v2/models/{name}/infer} ({@code *-infer.json}) for another model
     * name and body, as API Gateway would send it: the raw path and the path parameter both carry the name.
     */
    static String inferEvent(Format format, String name, String body) {
        String fixture = format.fixture.replace("-sentiment.json", "-infer.json");
        ObjectNode event;
        try (InputStream in = ApiGatewayEvents.class.getClassLoader().getResourceAsStream(fixture)) {
            event = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = "/v2/models/" + name + "/infer";
        if (format == Format.HTTP_API_V2) {
            event.put("rawPath", path);
            ((ObjectNode) event.path("requestContext").path("http")).put("path", path);
        } else {
            event.put("path", path);
            ((ObjectNode) event.path("requestContext")).put("path", "/prod" + path);
        }
        ((ObjectNode) event.path("pathParameters")).put("name", name);
        if (body != null) {
            event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        }
        return JSON.writeValueAsString(event);
    }

    /** Returns the event with one request header set (HTTP API: in headers; REST API: in both header maps). */
    static String withHeader(String event, String name, String value) {
        ObjectNode node = (ObjectNode) JSON.readTree(event);
        ((ObjectNode) node.path("headers")).put(name, value);
        JsonNode multi = node.path("multiValueHeaders");
        if (multi instanceof ObjectNode m) {
            m.putArray(name).add(value);
        }
        return JSON.writeValueAsString(node);
    }
}
