package io.bulwark.functions.http;

import io.bulwark.resilience.failure.RequestRejected;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The local HTTP runner's way in for the functions: a servlet filter ahead of every other (Spring MVC's dispatcher
 * servlet, its filters and the HTTP observation) that hands a request on a function's route straight to the
 * {@link FunctionDispatcher} and writes its answer. Spring MVC's handler lookup, argument resolution and message
 * converters cost about as much CPU per call as the whole LLM path (a JFR profile of {@code /sentiment}, BENCHMARKS.md)
 * and add nothing here: the dispatcher reads raw bytes and answers raw bytes. The pages beside the functions
 * ({@code /dashboard}, {@code /metrics/*}, the actuator) and any path no route matches go on to Spring MVC, where
 * {@link FunctionHttpController} gives the dispatcher's 404 for an unknown name.
 */
final class FunctionServlets {

    /** The largest request body read (API Gateway's own limit is 10 MB, Lambda's payload limit 6 MB). */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    /** The methods a function route may take; others (HEAD, OPTIONS, TRACE) are Spring MVC's. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    private FunctionServlets() {
    }

    /**
     * The filter: serves a request on one of the dispatcher's routes, passes any other on. The dispatcher is looked up
     * on the first request: filters are made before the application's beans, which it needs.
     */
    static Filter filter(Supplier<FunctionDispatcher> lookup) {
        return new Filter() {
            private volatile FunctionDispatcher found;

            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                FunctionDispatcher dispatcher = found;
                if (dispatcher == null) {
                    found = dispatcher = lookup.get();
                }
                if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                        && METHODS.contains(http.getMethod()) && dispatcher.routes(path(http))) {
                    serve(dispatcher, http, answer);
                } else {
                    chain.doFilter(request, response);
                }
            }
        };
    }

    /** Reads the request (body capped), dispatches it and writes the answer. */
    static void serve(FunctionDispatcher dispatcher, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // Read with a cap: an endless or huge body must not take the heap (and every other request) with it.
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        FunctionResponse answer = body.length > MAX_BODY_BYTES
                ? dispatcher.refuse(new RequestRejected(413, "payload_too_large", "body",
                        "the body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB"))
                : dispatcher.dispatch(new FunctionRequest(request.getMethod(), path(request), headers(request), body)
                        .withQuery(request.getQueryString()));
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    /** The path as sent (still percent-encoded): the dispatcher decodes each segment on its own. */
    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** Each header once, its values joined by commas as HTTP allows. */
    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            flat.put(name, String.join(",", java.util.Collections.list(request.getHeaders(name))));
        }
        return flat;
    }
}
