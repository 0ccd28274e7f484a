package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A langchain4j HTTP client over a {@link Transport} that keeps the response headers of failed calls in a
 * {@link ProviderHttpException}, so that the failure mapping can read {@code Retry-After}. Streaming is not
 * used by Bulwark and is not supported.
 */
final class HeaderKeepingHttpClient implements dev.langchain4j.http.client.HttpClient {

    private final Transport transport;

    private HeaderKeepingHttpClient(Transport transport) {
        this.transport = transport;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Transport.Answer answer;
        try {
            answer = transport.send(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new ProviderHttpException(answer.status(), answer.body(), answer.headers());
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(answer.status())
                .headers(answer.headers())
                .body(answer.body())
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used by Bulwark");
    }

    /** The builder langchain4j asks for; it passes its connect and read timeouts. */
    static final class Builder implements HttpClientBuilder {
        private final BiFunction<Duration, Duration, Transport> transport;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(10);

        /** Over {@link SocketTransport}, with the time-outs langchain4j passes. */
        Builder() {
            this(SocketTransport::new);
        }

        /** Over {@code transport}, which has time-outs of its own or none. */
        Builder(Transport transport) {
            this((connect, read) -> transport);
            Objects.requireNonNull(transport, "transport");
        }

        private Builder(BiFunction<Duration, Duration, Transport> transport) {
            this.transport = transport;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            if (timeout != null) {
                this.connectTimeout = timeout;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                this.readTimeout = timeout;
            }
            return this;
        }

        @Override
        public dev.langchain4j.http.client.HttpClient build() {
            return new HeaderKeepingHttpClient(transport.apply(connectTimeout, readTimeout));
        }
    }
}
