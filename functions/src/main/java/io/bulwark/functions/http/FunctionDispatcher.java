package io.bulwark.functions.http;

import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place where an HTTP request becomes a function call, for every runtime (local runner, AWS Lambda, Azure
 * Functions): {@code METHOD /name} is matched against the functions' own {@linkplain HttpFunction#endpoint() routes},
 * the body is decoded (its decompressed bytes held against one budget shared by all requests until the call ends),
 * the request gets its id, and the function's answer or refusal becomes a status, headers and a
 * body. Refusals ({@link RequestRejected}) become the contract's error body here and nowhere else; anything else a
 * function throws is a bug: logged with its stack trace, answered with a 500 that names no detail. Every call is
 * timed and reported to the {@link FunctionObserver} (which writes its log line, {@code io.bulwark.functions.requests},
 * and its metrics); a request no function takes (no route, an unreadable event) is logged here on that logger. While
 * a function runs, the logging MDC holds {@value #MDC_REQUEST_ID} and {@value #MDC_FUNCTION}, so every line it logs
 * names its request.
 */
public final class FunctionDispatcher {

    private static final Logger log = LoggerFactory.getLogger(FunctionDispatcher.class);
    private static final Logger requests = LoggerFactory.getLogger("io.bulwark.functions.requests");
    /** A caller's {@code X-Request-Id} is kept when it looks like an id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** The platform's id of the request (API Gateway's base64-like ids end in {@code =}). */
    private static final Pattern PLATFORM_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=+/-]{1,128}");
    /** The MDC key of the request's id while its function runs. */
    public static final String MDC_REQUEST_ID = "request_id";
    /** The MDC key of the function's name while it runs. */
    public static final String MDC_FUNCTION = "function";

    private final Routes routes;
    private final FunctionEndpoints endpoints;
    private final JsonMapper json;
    private final FunctionObserver observer;
    private final Ticker ticker;
    private final ContentEncoding encoding;

    /** A dispatcher with {@link ContentEncoding#defaults()}. */
    public FunctionDispatcher(List<? extends HttpFunction> functions, JsonMapper json, FunctionObserver observer,
                              Ticker ticker) {
        this(functions, json, observer, ticker, ContentEncoding.defaults());
    }

    /**
     * @param encoding how bodies are decoded, and the bound on decompressed bytes in flight
     * @throws IllegalArgumentException if two functions declare the same method and route
     */
    public FunctionDispatcher(List<? extends HttpFunction> functions, JsonMapper json, FunctionObserver observer,
                              Ticker ticker, ContentEncoding encoding) {
        this.routes = new Routes(functions);
        this.endpoints = new FunctionEndpoints(functions.stream().map(HttpFunction::endpoint).toList());
        this.json = json;
        this.observer = observer;
        this.ticker = ticker;
        this.encoding = encoding;
    }

    /** The functions this dispatcher serves, in registration order. */
    public FunctionEndpoints endpoints() {
        return endpoints;
    }

    /**
     * Returns whether a route of this dispatcher matches {@code path} (as sent, still percent-encoded), whatever the
     * method; false for a path that does not split (a malformed escape), which {@link #dispatch} would refuse.
     */
    public boolean routes(String path) {
        try {
            return routes.find(PathTemplate.split(path)) != null;
        } catch (RequestRejected malformed) {
            return false;
        }
    }

    /**
     * Calls the function whose route matches the request's path and method; a path no route matches is a 404, a
     * method its route does not take a 405.
     */
    public FunctionResponse dispatch(FunctionRequest request) {
        long start = ticker.read();
        String id = requestId(request.header("X-Request-Id"), request.requestId());
        HttpFunction function = null;
        String name = "-";
        int status;
        Object body;
        String retryAfter = null;
        try {
            Routes.Match match = routes.find(PathTemplate.split(request.path()));
            if (match == null) {
                throw new RequestRejected(404, "not_found", "path",
                        "no function at '" + clip(request.path()) + "': try " + endpoints.describe());
            }
            Routes.Route route = match.route();
            name = route.template().text();
            function = route.byMethod().get(request.method());
            if (function == null) {
                function = route.any();
                throw new RequestRejected(405, "method_not_allowed", "method",
                        name + " takes " + route.methods() + ", not " + request.method());
            }
            // The decoded body's share of the budget is held until the function has answered.
            try (ContentEncoding.Decoded decoded = encoding.decode(request.header("Content-Encoding"), request.body());
                 MDC.MDCCloseable ignored = MDC.putCloseable(MDC_REQUEST_ID, id);
                 MDC.MDCCloseable ignored2 = MDC.putCloseable(MDC_FUNCTION, name)) {
                body = function.apply(request.dispatched(decoded.bytes(), id, match.parameters()));
            }
            status = 200;
            if (body instanceof HttpFunction.WithStatus answer) {
                status = answer.status();
                body = answer.body();
            }
        } catch (RequestRejected e) {
            status = e.status();
            body = ApiError.of(e);
            retryAfter = retryAfter(e);
        } catch (RuntimeException e) {
            // A bug, not bad input: logged with its stack trace here, and the caller gets the contract's error
            // body rather than a runtime's own 5xx page (Lambda's "Internal server error", Tomcat's HTML).
            log.error("function {} failed unexpectedly on {} {} (request {})", name, request.method(), request.path(),
                    id, e);
            status = 500;
            body = new ApiError("internal_error", name + " failed unexpectedly; the error is in the server's log", null);
        }
        long nanos = ticker.read() - start;
        if (function != null) {
            observer.onCall(new FunctionCall(name, status, nanos, body, id));
        } else {
            logLine(name, status, nanos, id, body);
        }
        if (body instanceof ApiError error && function != null) {
            body = function.errorBody(error);
        }
        byte[] bytes = body instanceof HttpFunction.RawJson raw ? raw.bytes() : json.writeValueAsBytes(body);
        return new FunctionResponse(status, retryAfter == null
                ? Map.of("Content-Type", FunctionResponse.CONTENT_TYPE, "X-Request-Id", id)
                : Map.of("Content-Type", FunctionResponse.CONTENT_TYPE, "X-Request-Id", id, "Retry-After", retryAfter),
                bytes);
    }

    /**
     * Returns the {@code Retry-After} of a refusal that a moment will cure (seconds), or null: a 503 for being busy
     * ({@code server_busy}: the decode budget, the digit bulkhead; {@code jobs_busy}: the job queue) is worth retrying
     * in a second; an unloadable model or an unwritable log is not, until an operator acts.
     */
    static String retryAfter(RequestRejected e) {
        return e.status() == 503 && ("server_busy".equals(e.code()) || "jobs_busy".equals(e.code())) ? "1" : null;
    }

    /** Answers a request an adapter refused before dispatching it (an unreadable event, a body over its cap). */
    public FunctionResponse refuse(RequestRejected e) {
        logLine("-", e.status(), 0, "-", ApiError.of(e));
        String retryAfter = retryAfter(e);
        return new FunctionResponse(e.status(), retryAfter == null ? Map.of("Content-Type", FunctionResponse.CONTENT_TYPE)
                : Map.of("Content-Type", FunctionResponse.CONTENT_TYPE, "Retry-After", retryAfter),
                json.writeValueAsBytes(ApiError.of(e)));
    }

    /** The line of a request no function took, in the form of the observers' request lines. */
    private static void logLine(String name, int status, long nanos, String id, Object body) {
        if (!requests.isInfoEnabled()) {
            return;
        }
        String ms = String.format(Locale.ROOT, "%.3f", nanos / 1e6);
        ApiError e = body instanceof ApiError error ? error : new ApiError(null, null, null);
        requests.atInfo().addKeyValue("function", name).addKeyValue("status", status)
                .addKeyValue("latency_ms", Math.round(nanos / 1e3) / 1000.0).addKeyValue("request_id", id).addKeyValue("error", e.error()).addKeyValue("field", e.field())
                .log("function={} status={} latency_ms={} request_id={} error={} field={}", name, status, ms, id,
                        e.error(), e.field());
    }

    /**
     * The caller's id if it looks like one, else the platform's (API Gateway's {@code requestContext.requestId}, the
     * Azure invocation id) if the adapter gave one, else a new one.
     */
    private static String requestId(String given, String platform) {
        if (given != null && REQUEST_ID.matcher(given).matches()) {
            return given;
        }
        return platform != null && PLATFORM_REQUEST_ID.matcher(platform).matches() ? platform
                : UUID.randomUUID().toString();
    }

    private static String clip(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }

    /** Returns the path without its leading and trailing slashes: {@code /sentiment/} is {@code sentiment}. */
    static String name(String path) {
        return String.join("/", PathTemplate.split(path));
    }
}
