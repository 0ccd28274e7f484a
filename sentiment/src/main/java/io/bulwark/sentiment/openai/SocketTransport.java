package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpRequest;
import io.bulwark.resilience.Deadline;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
                c.answered = false;
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
        InputStream in = c.in;
        String statusLine;
        int status;
        Map<String, List<String>> headers;
        do { // an interim 1xx answer is followed by the real one
            statusLine = line(in, c);
            c.answered = true;
            status = status(statusLine);
            headers = headers(in, c);
        } while (status >= 100 && status < 200);
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        String connection = first(headers, "connection");
        c.reusable = http10 ? "keep-alive".equalsIgnoreCase(connection) : !"close".equalsIgnoreCase(connection);
        byte[] body;
        String length = first(headers, "content-length");
        if (method.equals("HEAD") || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            body = chunked(in, c);
        } else if (length != null) {
            body = in.readNBytes(parseLength(length));
            if (body.length < parseLength(length)) {
                throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes(); // delimited by the end of the connection
            c.reusable = false;
        }
        return new Answer(status, headers, new String(body, charset(first(headers, "content-type"))));
    }

    private static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(line));
        }
        try {
            return Integer.parseInt(line, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(line));
        }
    }

    private static Map<String, List<String>> headers(InputStream in, Connection c) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line; !(line = line(in, c)).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + abbreviate(line));
            }
            headers.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static byte[] chunked(InputStream in, Connection c) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in, c);
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + abbreviate(size));
            }
            if (n == 0) {
                while (!line(in, c).isEmpty()) {
                    // trailers: not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("the answer ended inside a chunk");
            }
            body.write(chunk);
            if (!line(in, c).isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
        }
    }

    /** Reads one line ending in CRLF (or LF) as ISO-8859-1, without the line end. */
    private static String line(InputStream in, Connection c) throws IOException {
        byte[] buffer = c.line;
        int n = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException(n == 0 && !c.answered ? "the connection closed before an answer"
                        : "the connection closed inside a line");
            }
            if (n == buffer.length) {
                if (n >= 65_536) {
                    throw new IOException("a header line longer than 64 KiB");
                }
                buffer = c.line = java.util.Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = (byte) b;
        }
        if (n > 0 && buffer[n - 1] == '\r') {
            n--;
        }
        return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static int parseLength(String value) throws IOException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException(value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + abbreviate(value));
        }
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = contentType.substring(at + 8).split(";", 2)[0].strip().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
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
        final InputStream in;
        final OutputStream out;
        byte[] line = new byte[256];
        long idleSince;
        boolean answered;
        boolean reusable;

        Connection(Target target, Socket socket, int readTimeoutMillis) throws IOException {
            this.target = target;
            this.socket = socket;
            this.in = new BufferedInputStream(new TimedInput(socket, readTimeoutMillis), 8192);
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
