package io.bulwark.models.dataset;

import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a dataset over HTTP(S) from an allowed host: the JDK client with redirects off, each redirect's target
 * checked against the {@link AllowList} before it is followed (at most {@link DatasetSettings#maxRedirects()}); the
 * body streamed, refused past {@link DatasetSettings#maxBytes()}, and cut at {@link DatasetSettings#httpTimeout()}
 * from the first connection to the last byte. Never an open proxy: nothing is fetched before its URL is checked.
 */
public final class HttpSource {

    private static final Logger log = LoggerFactory.getLogger(HttpSource.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** One daemon thread cuts fetches that outlive their time; it holds no work of its own. */
    private static final ScheduledExecutorService CUTTER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dataset-http-deadline");
        t.setDaemon(true);
        return t;
    });

    private final DatasetSettings settings;
    private final AllowList allowList;
    /** Made on the first fetch: the JDK client loads hundreds of classes and starts a thread, which a start that
     *  never fetches a dataset (most starts) need not pay for. */
    private volatile HttpClient client;

    public HttpSource(DatasetSettings settings) {
        this.settings = settings;
        this.allowList = new AllowList(settings.allowedHosts());
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(settings.httpTimeout()).build();
                }
                c = client;
            }
        }
        return c;
    }

    /** A fetched body, open for streaming; closing it ends the fetch. */
    public record Fetched(URI url, String contentType, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }

    /**
     * Fetches {@code url} (the field {@code url} of the request), following allowed redirects. Refusals: 400
     * {@code url_not_allowed} (scheme, host, address, a redirect elsewhere), 422 {@code fetch_failed} (unreachable,
     * not 2xx, too many redirects, timed out), 413 {@code too_large} (over the byte cap); all name {@code url}.
     */
    public Fetched fetch(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new RequestRejected("invalid_value", "url", "\"url\" is not a URL: " + e.getMessage());
        }
        long deadline = System.nanoTime() + settings.httpTimeout().toNanos();
        URI from = null;
        for (int hop = 0; ; hop++) {
            try {
                allowList.check(uri, "url");
            } catch (RequestRejected e) {
                if (from == null) {
                    throw e;
                }
                throw new RequestRejected(e.status(), e.code(), "url", from + " redirects to " + uri
                        + ", which is not followed: " + e.getMessage());
            }
            HttpResponse<InputStream> response = send(uri, deadline);
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                close(response.body());
                String location = response.headers().firstValue("Location").orElseThrow(() -> new RequestRejected(422,
                        "fetch_failed", "url", "the server answered " + status + " without a Location"));
                if (hop >= settings.maxRedirects()) {
                    throw new RequestRejected(422, "fetch_failed", "url", "more than " + settings.maxRedirects()
                            + " redirects (bulwark.datasets.http.max-redirects)");
                }
                URI next;
                try {
                    next = uri.resolve(location.strip());
                } catch (IllegalArgumentException e) {
                    throw new RequestRejected(422, "fetch_failed", "url", "the redirect's Location is not a URL");
                }
                log.info("dataset fetch: {} redirects to {}", uri, next);
                from = uri;
                uri = next;
                continue;
            }
            if (status < 200 || status > 299) {
                close(response.body());
                throw new RequestRejected(422, "fetch_failed", "url", uri + " answered " + status);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > settings.maxBytes()) {
                close(response.body());
                throw tooLarge(uri);
            }
            return new Fetched(uri, response.headers().firstValue("Content-Type").orElse(null),
                    new Capped(response.body(), settings.maxBytes(), uri, deadline));
        }
    }

    private HttpResponse<InputStream> send(URI uri, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut(uri);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).GET()
                .header("Accept", "text/csv, application/json, application/x-ndjson, application/xml;q=0.9, */*;q=0.1")
                .build();
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw timedOut(uri);
        } catch (IOException e) {
            throw new RequestRejected(422, "fetch_failed", "url", "could not fetch " + uri + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestRejected(422, "fetch_failed", "url", "the fetch of " + uri + " was interrupted");
        }
    }

    private RequestRejected timedOut(URI uri) {
        return new RequestRejected(422, "fetch_failed", "url", "fetching " + uri + " took longer than "
                + settings.httpTimeout().toMillis() + " ms (bulwark.datasets.http.timeout)");
    }

    private RequestRejected tooLarge(URI uri) {
        return new RequestRejected(413, "too_large", "url", uri + " sends more than " + settings.maxBytes()
                + " bytes (bulwark.datasets.http.max-bytes)");
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // dropped
        }
    }

    /**
     * The body, counted and timed: past the byte cap a read throws the 413; at the deadline the stream is closed
     * from the cutter thread (a blocked read then fails), and any read after it throws the time-out refusal.
     */
    private final class Capped extends FilterInputStream {
        private final long max;
        private final URI uri;
        private final AtomicBoolean cut = new AtomicBoolean();
        private final ScheduledFuture<?> cutter;
        private long read;

        Capped(InputStream in, long max, URI uri, long deadline) {
            super(in);
            this.max = max;
            this.uri = uri;
            this.cutter = CUTTER.schedule(() -> {
                cut.set(true);
                HttpSource.close(in);
            }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                if (cut.get()) {
                    throw timedOut(uri);
                }
                throw e;
            }
            if (cut.get()) {
                throw timedOut(uri);
            }
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw tooLarge(uri);
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            cutter.cancel(false);
            super.close();
        }
    }
}
