package io.bulwark.tools.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of keep-alive HTTP/1.1 connections that POST JSON bodies to one URL, each connection served by its
 * own virtual thread: the load run's sender when it must stay cheap. A request waits in one queue for the first free
 * connection (the wait is the sender's lag, counted in the latency from the due time, so the run stays open-loop); a
 * connection the server closes ({@code Connection: close}, Tomcat after its keep-alive requests) or that fails is
 * opened again for the next request. The JDK {@code HttpClient} opens a connection for every request in flight
 * instead, and at 1,000 req/s on two shared cores it was itself seconds late (CHAOS.md, "Load mode").
 */
final class KeepAlivePool implements AutoCloseable {

    /** What one exchange got: the status and body, or what went wrong (status 0), and when the request left. */
    record Answer(int status, byte[] body, String problem, long sentNanos) {
    }

    private record Job(byte[] body, CompletableFuture<Answer> answer) {
    }

    private static final Job STOP = new Job(new byte[0], null);
    private static final int MAX_HEADER_LINE = 8192;

    private final InetSocketAddress address;
    private final byte[] head;
    private final int timeoutMillis;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread[] workers;
    private final AtomicLong opened = new AtomicLong();

    /**
     * Starts {@code connections} workers for POSTs to {@code url} ({@code http} only), each exchange given
     * {@code timeout} to connect and to answer.
     */
    KeepAlivePool(URI url, int connections, Duration timeout) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the pool speaks plain HTTP to a host: " + url);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1: " + connections);
        }
        int port = url.getPort() < 0 ? 80 : url.getPort();
        this.address = new InetSocketAddress(url.getHost(), port);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.workers = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            workers[i] = Thread.ofVirtual().name("load-connection-" + i).start(this::serve);
        }
    }

    /** Queues a POST of {@code body}; the future completes with its answer (never exceptionally). */
    CompletableFuture<Answer> post(byte[] body) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        queue.add(new Job(body, answer));
        return answer;
    }

    /** Returns how many connections were opened so far (reopened ones included). */
    long connectionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < workers.length; i++) {
            queue.add(STOP);
        }
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofMillis(timeoutMillis + 1000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void serve() {
        Socket socket = null;
        try {
            while (true) {
                Job job = queue.take();
                if (job == STOP) {
                    return;
                }
                long sent = System.nanoTime();
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(address, timeoutMillis);
                        socket.setSoTimeout(timeoutMillis);
                        opened.incrementAndGet();
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    out.write((job.body().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(job.body());
                    out.flush();
                    Exchange e = read(new BufferedInputStream(socket.getInputStream(), 512), socket);
                    if (e.close()) {
                        socket.close();
                        socket = null;
                    }
                    job.answer().complete(new Answer(e.status(), e.body(), null, sent));
                } catch (IOException | RuntimeException e) {
                    closeQuietly(socket);
                    socket = null;
                    job.answer().complete(new Answer(0, new byte[0], e.getClass().getSimpleName(), sent));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private record Exchange(int status, byte[] body, boolean close) {
    }

    /**
     * Reads one response: the status line, the headers, and a body of {@code Content-Length} bytes or in chunks.
     * The stream is a fresh buffer over the socket each time, which is safe because a response is read to its end
     * and the server sends nothing unasked.
     */
    private static Exchange read(InputStream in, Socket socket) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, 1 << 20) : 512);
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16); size > 0;
                 size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) {
                copy(in, body, size);
                line(in);
            }
            for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers are not used
            }
        } else if (length >= 0) {
            copy(in, body, length);
        } else {
            in.transferTo(body); // no length: the body ends with the connection
            close = true;
        }
        if (in.available() > 0) {
            close = true; // bytes nobody asked for: do not reuse this connection
        }
        return new Exchange(code, body.toByteArray(), close || socket.isInputShutdown());
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the connection ended " + left + " bytes before the body did");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended in the middle of a response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > MAX_HEADER_LINE) {
                throw new IOException("a header line longer than " + MAX_HEADER_LINE);
            }
        }
        return line.toString();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing to save
            }
        }
    }
}
