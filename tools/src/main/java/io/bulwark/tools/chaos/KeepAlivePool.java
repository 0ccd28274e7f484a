package io.bulwark.tools.chaos;

import io.bulwark.sentiment.http.Http1Reader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * instead, and at 1,000 req/s on two shared cores it was itself seconds late (CHAOS.md, "Load mode"). Answers are
 * read by the same HTTP/1.x reader as the OpenAI-compatible provider's transport ({@link Http1Reader}).
 */
final class KeepAlivePool implements AutoCloseable {

    /** What one exchange got: the status and body, or what went wrong (status 0), and when the request left. */
    record Answer(int status, byte[] body, String problem, long sentNanos) {
    }

    private record Job(byte[] body, CompletableFuture<Answer> answer) {
    }

    private static final Job STOP = new Job(new byte[0], null);

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
        BufferedInputStream in = null;
        Http1Reader reader = null;
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
                        in = new BufferedInputStream(socket.getInputStream(), 512);
                        reader = new Http1Reader(in);
                        opened.incrementAndGet();
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    out.write((job.body().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(job.body());
                    out.flush();
                    Http1Reader.Answer answer = reader.read("POST");
                    // bytes nobody asked for, or a server that closed its side: do not reuse this connection
                    if (!answer.reusable() || in.available() > 0 || socket.isInputShutdown()) {
                        socket.close();
                        socket = null;
                    }
                    job.answer().complete(new Answer(answer.status(), answer.body(), null, sent));
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
