package io.bulwark.functions.http;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * The local HTTP runner's adapter: {@code METHOD /{function}} looks the function up in Spring Cloud
 * Function's catalog, hands it the raw body and headers as a message, and answers with the status the
 * function put in its {@value JsonFunction#STATUS_HEADER} header. It holds no logic of its own.
 */
@RestController
class FunctionHttpController {

    private final FunctionCatalog catalog;
    private final FunctionEndpoints endpoints;

    FunctionHttpController(FunctionCatalog catalog, FunctionEndpoints endpoints) {
        this.catalog = catalog;
        this.endpoints = endpoints;
    }

    @RequestMapping(path = "/{name}", method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.DELETE, RequestMethod.PATCH})
    ResponseEntity<byte[]> invoke(@PathVariable String name, HttpMethod method, @RequestHeader HttpHeaders headers,
                                  @RequestBody(required = false) byte[] body) {
        FunctionEndpoints.Endpoint endpoint = endpoints.find(name).orElseThrow(() -> new ApiException(404,
                "not_found", "no function '" + name + "': try " + endpoints.describe(), "path"));
        if (!endpoint.method().equals(method.name())) {
            throw new ApiException(405, "method_not_allowed",
                    name + " takes " + endpoint.method() + ", not " + method.name(), "method");
        }
        // The raw function, not the catalog's invocation wrapper: the wrapper "helpfully" converts
        // payloads (a JSON array of numbers becomes those bytes), and functions must see the body as sent.
        FunctionInvocationWrapper wrapper = catalog.lookup(name);
        if (wrapper == null || !(wrapper.getTarget() instanceof JsonFunction function)) {
            throw new IllegalStateException("function '" + name + "' is listed but is not a JsonFunction in the catalog");
        }
        MessageBuilder<byte[]> message = MessageBuilder.withPayload(body == null ? new byte[0] : body);
        headers.forEach((k, v) -> message.setHeader(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        if (headers.getContentType() != null) {
            message.setHeader(MessageHeaders.CONTENT_TYPE, headers.getContentType().toString());
        }
        Message<byte[]> response = function.apply(message.build());
        Object status = response.getHeaders().get(JsonFunction.STATUS_HEADER);
        return ResponseEntity.status(status == null ? HttpStatus.OK.value() : Integer.parseInt(status.toString()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(response.getPayload());
    }
}
