package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpRequest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The production {@link Transport}: the JDK's {@link HttpClient} over HTTP/1.1, with langchain4j's connect
 * and read time-outs.
 */
final class JdkTransport implements Transport {

    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "host", "expect", "upgrade");

    private final HttpClient client;
    private final Duration readTimeout;

    JdkTransport(Duration connectTimeout, Duration readTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.readTimeout = readTimeout;
    }

    @Override
    public Answer send(HttpRequest request) throws IOException {
        java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(readTimeout)
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> jdk.header(name, v));
            }
        });
        HttpResponse<String> response;
        try {
            response = client.send(jdk.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        return new Answer(response.statusCode(), response.headers().map(), response.body());
    }
}
