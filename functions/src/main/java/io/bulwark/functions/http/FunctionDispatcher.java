package io.bulwark.functions.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.util.function.Function;

/**
 * The one place where an HTTP request becomes a function call, for every runtime (local runner, AWS
 * Lambda, Azure Functions): {@code METHOD /name} is checked against {@link FunctionEndpoints}, the
 * function is taken from Spring Cloud Function's catalog, and its answer becomes a status and a body.
 * <p>
 * It works around what the runtimes' own bindings get wrong here: it calls the catalog's raw target,
 * not the invocation wrapper (which converts payloads: a JSON array of numbers became bytes); it hands
 * the function lower-cased headers; and it answers with the status the function put in its
 * {@value JsonFunction#STATUS_HEADER} header and none of the message's internal headers ({@code id},
 * {@code timestamp}, {@code contentType}).
 */
public final class FunctionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(FunctionDispatcher.class);

    private final Function<String, JsonFunction> functions;
    private final FunctionEndpoints endpoints;
    private final JsonMapper json;

    public FunctionDispatcher(FunctionCatalog catalog, FunctionEndpoints endpoints, JsonMapper json) {
        this(name -> function(catalog, name), endpoints, json);
    }

    /** Takes the functions by name from {@code functions} instead of a catalog. */
    FunctionDispatcher(Function<String, JsonFunction> functions, FunctionEndpoints endpoints, JsonMapper json) {
        this.functions = functions;
        this.endpoints = endpoints;
        this.json = json;
    }

    /** The functions this dispatcher serves. */
    public FunctionEndpoints endpoints() {
        return endpoints;
    }

    /** Calls the function the request names; unknown paths are a 404, a wrong method a 405. */
    public FunctionResponse dispatch(FunctionRequest request) {
        String name = name(request.path());
        FunctionEndpoints.Endpoint endpoint = endpoints.find(name).orElse(null);
        if (endpoint == null) {
            return error(new ApiException(404, "not_found",
                    "no function at '" + request.path() + "': try " + endpoints.describe(), "path"));
        }
        if (!endpoint.method().equals(request.method())) {
            return error(new ApiException(405, "method_not_allowed",
                    name + " takes " + endpoint.method() + ", not " + request.method(), "method"));
        }
        byte[] body;
        try {
            body = ContentEncoding.decode(request.header("content-encoding"), request.body());
        } catch (ApiException e) {
            return error(e);
        }
        Message<byte[]> response;
        try {
            response = functions.apply(name).apply(message(request, body));
        } catch (RuntimeException e) {
            // A bug, not bad input: logged with its stack trace here, and the caller gets the contract's error
            // body rather than a runtime's own 5xx page (Lambda's "Internal server error", Tomcat's HTML).
            log.error("function {} failed unexpectedly on {} {}", name, request.method(), request.path(), e);
            return new FunctionResponse(500, json.writeValueAsBytes(new ApiError("internal_error",
                    name + " failed unexpectedly; the error is in the server's log", null)));
        }
        Object status = response.getHeaders().get(JsonFunction.STATUS_HEADER);
        return new FunctionResponse(status == null ? 200 : Integer.parseInt(status.toString()), response.getPayload());
    }

    private static JsonFunction function(FunctionCatalog catalog, String name) {
        // The raw function, not the catalog's invocation wrapper: the wrapper "helpfully" converts
        // payloads, and functions must see the body as sent.
        FunctionInvocationWrapper wrapper = catalog.lookup(name);
        if (wrapper == null || !(wrapper.getTarget() instanceof JsonFunction function)) {
            throw new IllegalStateException("function '" + name + "' is listed but is not a JsonFunction in the catalog");
        }
        return function;
    }

    private static Message<byte[]> message(FunctionRequest request, byte[] body) {
        MessageBuilder<byte[]> message = MessageBuilder.withPayload(body);
        request.headers().forEach((name, value) -> {
            // Spring's own id and timestamp are read-only: a caller's "Id" header must not fail the call.
            if (!name.equals(MessageHeaders.ID) && !name.equals(MessageHeaders.TIMESTAMP)) {
                message.setHeader(name, value);
            }
        });
        String contentType = request.header("content-type");
        if (contentType != null) {
            message.setHeader(MessageHeaders.CONTENT_TYPE, contentType);
        }
        return message.build();
    }

    /** Returns the function name of a path: {@code /sentiment} and {@code /sentiment/} name {@code sentiment}. */
    static String name(String path) {
        String name = path;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    private FunctionResponse error(ApiException e) {
        return new FunctionResponse(e.status(), json.writeValueAsBytes(e.body()));
    }
}
