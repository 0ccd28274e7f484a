package io.bulwark.sentiment.openai;

import com.fasterxml.jackson.core.JacksonException;
import io.bulwark.resilience.failure.AuthFailed;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.InvalidRequest;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one place where what an OpenAI-compatible endpoint and its client throw becomes a
 * {@link BoundaryFailure}: 429 → rate limited (with the wait it asked for), 401/403 → auth,
 * 408 and client time-outs → timed out, 5xx and broken connections → unavailable, other 4xx →
 * invalid request, a body that cannot be read → malformed response.
 */
final class OpenAiFailures {

    private OpenAiFailures() {
    }

    static BoundaryFailure map(Throwable thrown, Clock clock) {
        if (thrown instanceof BoundaryFailure f) {
            return f;
        }
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderHttpException http) {
                return fromStatus(http, clock);
            }
            if (t instanceof HttpTimeoutException || t instanceof InterruptedIOException
                    || t instanceof dev.langchain4j.exception.TimeoutException) {
                return new TimedOut("the provider did not answer in time", t);
            }
            if (t instanceof JacksonException) {
                return new MalformedResponse("the provider's response could not be read: "
                        + t.getClass().getSimpleName(), t);
            }
            if (t instanceof IOException) {
                return new Unavailable("connection to the provider failed: " + t.getClass().getSimpleName(), t);
            }
        }
        // The call returned 2xx but the client could not make sense of the body (e.g. an error object).
        return new MalformedResponse("the provider's response was not a chat completion: "
                + thrown.getClass().getSimpleName(), thrown);
    }

    private static BoundaryFailure fromStatus(ProviderHttpException http, Clock clock) {
        int status = http.statusCode();
        String what = "the provider answered HTTP " + status;
        if (status == 429) {
            return new RateLimited(what, retryAfter(http, clock).orElse(null), http);
        }
        if (status == 401 || status == 403) {
            return new AuthFailed(what + ": check the provider's api-key", http);
        }
        if (status == 408) {
            return new TimedOut(what, http);
        }
        if (status >= 500) {
            return new Unavailable(what, http);
        }
        return new InvalidRequest(what, http);
    }

    /** Reads {@code retry-after-ms} (OpenAI's) first, then {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(ProviderHttpException http, Clock clock) {
        Optional<Duration> ms = http.header("retry-after-ms").flatMap(v -> number(v).map(
                n -> Duration.ofNanos((long) (n * 1_000_000))));
        if (ms.isPresent()) {
            return ms;
        }
        return http.header("retry-after").flatMap(v -> number(v)
                .map(s -> Duration.ofNanos((long) (s * 1_000_000_000L)))
                .or(() -> date(v, clock)));
    }

    private static Optional<Double> number(String v) {
        try {
            double d = Double.parseDouble(v.strip());
            return d >= 0 && Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> date(String v, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
