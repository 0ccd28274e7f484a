package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local HTTP runner's adapter: {@code METHOD /{function}} goes to the {@link FunctionDispatcher}
 * with the raw body and headers. It holds no logic of its own.
 */
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RestController
class FunctionHttpController {

    /** The largest request body read (API Gateway's own limit is 10 MB, Lambda's payload limit 6 MB). */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final FunctionDispatcher dispatcher;

    FunctionHttpController(FunctionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @RequestMapping(path = {"/{name}", "/{name}/"}, method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT,
            RequestMethod.DELETE, RequestMethod.PATCH})
    ResponseEntity<byte[]> invoke(@PathVariable String name, HttpMethod method, @RequestHeader HttpHeaders headers,
                                  InputStream in, jakarta.servlet.http.HttpServletRequest request) throws IOException {
        // Read with a cap: an endless or huge body must not take the heap (and every other request) with it.
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((k, v) -> flat.put(k, String.join(",", v)));
        FunctionResponse response = body.length > MAX_BODY_BYTES
                ? dispatcher.refuse(new RequestRejected(413, "payload_too_large", "body",
                        "the body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB"))
                : dispatcher.dispatch(new FunctionRequest(method.name(), "/" + name, flat, body, null,
                        FunctionRequest.parseQuery(request.getQueryString())));
        HttpHeaders answer = new HttpHeaders();
        response.headers().forEach(answer::set);
        return ResponseEntity.status(response.status()).headers(answer).body(response.body());
    }
}
