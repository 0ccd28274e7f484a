package io.bulwark.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * What the OpenAI-compatible endpoint sends for one call, before any delay: a response, or a connection that
 * breaks before one. Decided here for both injection points, so that the {@link FakeLlmServer} sends over a
 * socket exactly what the {@link ChaosProvider} hands the real client in process.
 */
sealed interface HttpAnswer {

    /** A response with {@code status}, {@code headers} and {@code body}. */
    record Response(int status, Map<String, String> headers, String body) implements HttpAnswer {
    }

    /** A connection that breaks before a single byte of response. */
    enum Broken implements HttpAnswer {
        /** Reset by the peer. */
        RESET,
        /** Closed without an answer. */
        EMPTY
    }

    /**
     * The answer to a call that gets {@code fault} (null for none), where {@code body} is what a 200 would carry
     * (already broken for a {@link Fault.Malformed}); {@code clock} dates a {@code Retry-After}.
     */
    static HttpAnswer of(Fault fault, String body, Clock clock) {
        return switch (fault) {
            case null -> json(200, body);
            case Fault.Delay d -> json(200, body);
            case Fault.Hang h -> json(200, body);
            case Fault.SlowDrip s -> json(200, body);
            case Fault.Malformed m -> json(200, body);
            case Fault.RateLimit r -> rateLimited(r, clock);
            case Fault.ServerError e -> json(e.status(), Completions.error(
                    "The server had an error while processing your request.", "server_error", null));
            case Fault.AuthRefused a -> json(a.status(), Completions.error(
                    "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
            case Fault.ConnectionReset c -> Broken.RESET;
            case Fault.EmptyResponse e -> Broken.EMPTY;
            case Fault.PartialResponse p -> json(200, body.substring(0, body.length() / 2));
            case Fault.ErrorObject e -> json(200, Completions.error(
                    "The model is overloaded. Please try again later.", "server_error", "overloaded"));
        };
    }

    private static Response rateLimited(Fault.RateLimit r, Clock clock) {
        String body = Completions.error("Rate limit reached for requests", "requests", "rate_limit_exceeded");
        Duration wait = r.advertised();
        return switch (r.hint()) {
            case NONE -> json(429, body);
            case MILLIS -> json(429, body, "retry-after-ms", Long.toString(wait.toMillis()));
            case SECONDS -> json(429, body, "Retry-After", Long.toString(wait.toSeconds()));
            case HTTP_DATE -> json(429, body, "Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    clock.instant().plus(wait).atOffset(ZoneOffset.UTC)));
        };
    }

    private static Response json(int status, String body) {
        return new Response(status, Map.of("Content-Type", "application/json"), body);
    }

    private static Response json(int status, String body, String header, String value) {
        return new Response(status, Map.of("Content-Type", "application/json", header, value), body);
    }
}
