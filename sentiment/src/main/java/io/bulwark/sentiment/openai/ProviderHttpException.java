package io.bulwark.sentiment.openai;

import dev.langchain4j.exception.HttpException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A non-2xx answer of the provider, keeping the response headers (langchain4j's own exception drops
 * them, and with them {@code Retry-After}).
 */
final class ProviderHttpException extends HttpException {

    private final Map<String, List<String>> headers;

    ProviderHttpException(int statusCode, String body, Map<String, List<String>> headers) {
        super(statusCode, body);
        this.headers = headers;
    }

    /** Returns the first value of the named header, ignoring case. */
    Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().getFirst())
                .findFirst();
    }
}
