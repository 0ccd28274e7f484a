package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpClientBuilder;
import io.bulwark.resilience.failure.BoundaryFailure;

import java.time.Clock;

/**
 * What every HTTP provider of this module shares with the OpenAI-compatible one: a langchain4j HTTP client that
 * keeps the headers of failed calls ({@code Retry-After}), and the one mapping of what such a client throws into
 * {@link BoundaryFailure}s by status and exception type (429 → rate limited, 401/403 → auth, 408 and time-outs →
 * timed out, 5xx (Anthropic's 529 included) and broken connections → unavailable, other 4xx → invalid request, an
 * unreadable body → malformed response). Another provider's client plugs into these two, so its errors are typed
 * as every other's.
 */
public final class ProviderHttp {

    private ProviderHttp() {
    }

    /** Returns a builder of the header-keeping client over the JDK's HTTP client. */
    public static HttpClientBuilder client() {
        return new HeaderKeepingHttpClient.Builder();
    }

    /** Returns a builder of the header-keeping client whose exchanges go to {@code transport}. */
    public static HttpClientBuilder client(Transport transport) {
        return new HeaderKeepingHttpClient.Builder(transport);
    }

    /** Returns what {@code thrown} (by a client built by {@link #client()}) means for the boundary. */
    public static BoundaryFailure failure(Throwable thrown, Clock clock) {
        return OpenAiFailures.map(thrown, clock);
    }
}
