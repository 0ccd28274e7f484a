package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpRequest;
import io.bulwark.resilience.Deadline;
import io.bulwark.sentiment.http.Http1Reader;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;

/**
 * The production {@link Transport}: HTTP/1.1 over blocking sockets kept alive in a small pool, run entirely on the
 * calling thread (the time limit's virtual thread). It replaced the JDK's {@code HttpClient}, whose {@code send}
 * passes every exchange between the caller, its executor and its selector thread through a chain of
 * {@code CompletableFuture}s: half of the LLM call's CPU samples (92 of 185) in a JFR profile of the LLM path at
 * 32 connections, and 40 % fewer requests a second than with this transport (BENCHMARKS.md, "Side by side with
 * Portkey"). langchain4j still builds the request and reads the answer above it, and {@link OpenAiFailures} maps
 * what fails.
 *
 * <p>Time-outs: {@code connectTimeout} for the TCP (and TLS) connection, {@code readTimeout} for each read of the
 * answer. Every judgement is exactly one HTTP request, never sent twice (retries are the boundary's business, and the
 * chaos experiments count the provider's calls): a failure is the caller's. So that a server closing a kept-alive
 * connection while it is idle rarely meets a request, a connection idle for {@link #MAX_IDLE} is closed rather than
 * reused, which is shorter than common servers' keep-alive (Node, Apache, uvicorn 5 s; nginx 75 s); one closed
 * sooner fails the request that meets it, as an {@code Unavailable}. An interrupted virtual thread's socket is
 * closed by the JDK, so a cancelled call never returns to the pool.
 *
 * <p>The call's deadline: while a {@link Deadline} is set for the calling thread ({@link #deadline(Deadline)}, by
 * {@link OpenAiSentimentProvider#classify}), the connect time-out and each read's time-out are also no longer than
 * what the deadline leaves, and a read that starts after it fails at once: a {@link SocketTimeoutException}, which
 * {@link OpenAiFailures} reports as {@code TimedOut}. So the call honours its deadline by itself and the time limit
 * can run it on the request's thread, without a second thread to cancel it.
 */
final class SocketTransport implements Transport {

    /** A connection idle this long is closed rather than reused: servers close idle ones after 5–75 s. */
    static final Duration MAX_IDLE = Duration.ofSeconds(4);
    /** Idle connections kept per host; more are closed when they come back. */
    static final int MAX_IDLE_PER_HOST = 64;
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "host", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final byte[] CRLF = {'\r', '\n'};
    /** The deadline of the calling thread's current call, if any. */
    private static final ThreadLocal<Deadline> DEADLINE = new ThreadLocal<>();

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final LongSupplier nanoTime;
    private final SSLSocketFactory tls;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<Target, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();

    SocketTransport(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, System::nanoTime, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With the time of idle connections from {@code nanoTime} and TLS from {@code tls} (tests). */
    SocketTransport(Duration connectTimeout, Duration readTimeout, LongSupplier nanoTime, SSLSocketFactory tls) {
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
        this.nanoTime = nanoTime;
        this.tls = tls;
    }

    /** Sets the deadline of the calling thread's calls; {@code null} removes it. */
    static void deadline(Deadline deadline) {
        if (deadline == null) {
            DEADLINE.remove();
        } else {
            DEADLINE.set(deadline);
        }
    }

    /** Returns the deadline of the calling thread's calls, or {@code null}. */
    static Deadline deadline() {
        return DEADLINE.get();
    }

    /**
     * Returns {@code configured} (milliseconds, at least 1), no longer than the calling thread's deadline leaves
     * (rounded up to a whole millisecond: a socket's 0 means no time-out); throws when the deadline has passed.
     */
    private static int bounded(int configured) throws SocketTimeoutException {
        Deadline deadline = DEADLINE.get();
        if (deadline == null) {
            return configured;
        }
        long left = deadline.remaining().toNanos();
        if (left <= 0) {
            throw new SocketTimeoutException("the call's deadline has passed");
        }
        long millis = Math.max(1, (left + 999_999) / 1_000_000);
        return configured > 0 && configured < millis ? configured : (int) Math.min(Integer.MAX_VALUE, millis);
    }

    @Override
    public Answer send(HttpRequest request) throws IOException {
        Target target = targets.computeIfAbsent(request.url(), Target::parse);
        byte[] message = message(request, target);
        Connection pooled = pooled(target);
        return exchange(pooled != null ? pooled : open(target), message, request.method().name());
    }

    /** Returns the number of idle connections kept for the host of {@code url} (tests). */
    int idleConnections(String url) {
        ConcurrentLinkedDeque<Connection> q = idle.get(Target.parse(url));
        return q == null ? 0 : q.size();
    }

    private Answer exchange(Connection c, byte[] message, String method) throws IOException {
        boolean keep = false;
        try {
            c.out.write(message);
            c.out.flush();
            Answer answer = read(c, method);
            keep = c.reusable;
            return answer;
        } finally {
            if (keep) {
                release(c);
            } else {
                c.close();
            }
        }
    }

    private Connection pooled(Target target) {
        ConcurrentLinkedDeque<Connection> q = idle.get(target);
        if (q == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        for (Connection c; (c = q.pollFirst()) != null; ) {
            if (now - c.idleSince < MAX_IDLE.toNanos() && !c.socket.isClosed()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(Connection c) {
        ConcurrentLinkedDeque<Connection> q = idle.computeIfAbsent(c.target, t -> new ConcurrentLinkedDeque<>());
        if (q.size() >= MAX_IDLE_PER_HOST) {
            c.close();
            return;
        }
        c.idleSince = nanoTime.getAsLong();
        q.addFirst(c); // most recently used first: the warmest connections are reused, the rest age out
    }

    private Connection open(Target target) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.host, target.port), bounded(connectTimeoutMillis));
            socket.setSoTimeout(bounded(readTimeoutMillis)); // for the TLS handshake
            if (target.tls) {
                SSLSocket secure = (SSLSocket) tls.createSocket(socket, target.host, target.port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            return new Connection(target, socket, readTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The request line, headers and body, as one buffer: one write per exchange. */
    private static byte[] message(HttpRequest request, Target target) {
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256);
        head.append(request.method().name()).append(' ').append(target.path).append(" HTTP/1.1\r\nHost: ")
                .append(target.hostHeader).append("\r\n");
        request.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : values) {
                    head.append(name).append(": ").append(v).append("\r\n");
                }
            }
        });
        if (body.length > 0 || !request.method().name().equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[h.length + body.length];
        System.arraycopy(h, 0, message, 0, h.length);
        System.arraycopy(body, 0, message, h.length, body.length);
        return message;
    }

    private static Answer read(Connection c, String method) throws IOException {
        Http1Reader.Answer answer = c.reader.read(method);
        c.reusable = answer.reusable();
        return new Answer(answer.status(), answer.headers(), answer.text());
    }

    private static int millis(Duration d) {
        long ms = d.toMillis();
        return ms <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** Where a URL's requests go: scheme, host and port (the pool's key), and the path with its query. */
    private record Target(boolean tls, String host, int port, String hostHeader, String path) {

        static Target parse(String url) {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL: " + url);
            }
            boolean tls = scheme.equals("https");
            int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
            String hostHeader = uri.getPort() >= 0 ? uri.getHost() + ":" + port : uri.getHost();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            // The pool's key ignores the path: equal scheme, host and port share connections.
            return new Target(tls, uri.getHost(), port, hostHeader, path);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.tls == tls && t.port == port && t.host.equalsIgnoreCase(host);
        }

        @Override
        public int hashCode() {
            return host.toLowerCase(Locale.ROOT).hashCode() * 31 + port + (tls ? 1 : 0);
        }
    }

    /**
     * A socket's input whose every read waits no longer than the read time-out and what the calling thread's
     * deadline leaves (the socket's time-out is set before each read that reaches the socket, only when it changes).
     */
    private static final class TimedInput extends FilterInputStream {
        private final Socket socket;
        private final int readTimeoutMillis;
        private int current;

        TimedInput(Socket socket, int readTimeoutMillis) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.readTimeoutMillis = readTimeoutMillis;
            this.current = socket.getSoTimeout();
        }

        private void bound() throws IOException {
            int timeout = bounded(readTimeoutMillis);
            if (timeout != current) {
                socket.setSoTimeout(timeout);
                current = timeout;
            }
        }

        @Override
        public int read() throws IOException {
            bound();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            bound();
            return super.read(b, off, len);
        }
    }

    /** One socket with its buffers; used by one exchange at a time. */
    private static final class Connection {
        final Target target;
        final Socket socket;
        final Http1Reader reader;
        final OutputStream out;
        long idleSince;
        boolean reusable;

        Connection(Target target, Socket socket, int readTimeoutMillis) throws IOException {
            this.target = target;
            this.socket = socket;
            this.reader = new Http1Reader(new BufferedInputStream(new TimedInput(socket, readTimeoutMillis), 8192));
            this.out = socket.getOutputStream();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do: the connection is gone either way
            }
        }
    }
}
