package io.bulwark.functions.monitoring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Posts each alert transition as JSON to a URL (Slack-compatible: the body has a {@code text} line besides the
 * event's fields). Asynchronous, with a time-out; a failed delivery is logged, never retried, never thrown.
 */
public final class WebhookSink implements AlertSink {

    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);

    private final URI url;
    private final Duration timeout;
    private final JsonMapper json;
    private final HttpClient client;

    public WebhookSink(URI url, Duration timeout, JsonMapper json) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("the alert webhook must be an http(s) URL: " + url);
        }
        this.url = url;
        this.timeout = timeout;
        this.json = json;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The body posted: the event and a one-line {@code text}. */
    record Body(String text, AlertEvent alert) {
    }

    @Override
    public void accept(AlertEvent event) {
        send(event);
    }

    /** Sends {@code event}; the future completes with the status, or -1 when it could not be delivered. */
    CompletableFuture<Integer> send(AlertEvent event) {
        String text = "[" + event.state().toUpperCase(java.util.Locale.ROOT) + "] " + event.rule() + ": " + event.message();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(new Body(text, event))))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> {
                    if (r.statusCode() >= 300) {
                        log.warn("Alert webhook {} answered {} to {} {}", url, r.statusCode(), event.rule(), event.state());
                    }
                    return r.statusCode();
                })
                .exceptionally(e -> {
                    log.warn("Alert webhook {} could not be reached for {} {}: {}", url, event.rule(), event.state(),
                            e.getMessage());
                    return -1;
                });
    }

    @Override
    public String toString() {
        return "WebhookSink[" + url + "]";
    }
}
