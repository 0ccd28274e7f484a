package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The local HTTP runner's adapter: {@code METHOD /{function}}, and every route of more than one segment
 * ({@code /v2/models/{name}/infer}, registered from the dispatcher's own routes by {@link #register}), goes to the
 * {@link FunctionDispatcher} with the raw path, body and headers. It holds no logic of its own.
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
    ResponseEntity<byte[]> invoke(HttpServletRequest request, HttpMethod method, @RequestHeader HttpHeaders headers,
                                  InputStream in) throws IOException {
        // The path as sent (still percent-encoded): the dispatcher decodes each segment on its own.
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // Read with a cap: an endless or huge body must not take the heap (and every other request) with it.
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((k, v) -> flat.put(k, String.join(",", v)));
        FunctionResponse response = body.length > MAX_BODY_BYTES
                ? dispatcher.refuse(new RequestRejected(413, "payload_too_large", "body",
                        "the body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB"))
                : dispatcher.dispatch(new FunctionRequest(method.name(), path, flat, body)
                        .withQuery(request.getQueryString()));
        HttpHeaders answer = new HttpHeaders();
        response.headers().forEach(answer::set);
        return ResponseEntity.status(response.status()).headers(answer).body(response.body());
    }

    /**
     * Maps the routes of more than one segment to {@link #invoke} as well ({@code /{name}} covers the others): only
     * the dispatcher's routes, so the pages and static files beside them ({@code /metrics/summary},
     * {@code /webjars/**}) stay where they are. The templates are Spring path patterns as they are.
     */
    @Bean
    static SmartInitializingSingleton functionRoutes(ObjectProvider<FunctionDispatcher> dispatcher,
                                                     ObjectProvider<FunctionHttpController> controller,
                                                     @Qualifier("requestMappingHandlerMapping")
                                                     ObjectProvider<RequestMappingHandlerMapping> mapping) {
        return () -> register(dispatcher.getObject(), controller.getObject(), mapping.getObject());
    }

    static void register(FunctionDispatcher dispatcher, FunctionHttpController controller,
                         RequestMappingHandlerMapping mapping) {
        Method invoke;
        try {
            invoke = FunctionHttpController.class.getDeclaredMethod("invoke", HttpServletRequest.class,
                    HttpMethod.class, HttpHeaders.class, InputStream.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        Set<String> patterns = new TreeSet<>();
        for (FunctionEndpoints.Endpoint e : dispatcher.endpoints().all()) {
            if (e.name().contains("/")) {
                patterns.add("/" + e.name());
                patterns.add("/" + e.name() + "/");
            }
        }
        if (!patterns.isEmpty()) {
            mapping.registerMapping(RequestMappingInfo.paths(patterns.toArray(String[]::new))
                    .methods(RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
                            RequestMethod.PATCH)
                    .options(mapping.getBuilderConfiguration()).build(), controller, invoke);
        }
    }
}
