package io.bulwark.functions.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small AWS Lambda Runtime API on loopback, enough for the real runtime interface client: it hands out
 * queued events on {@code GET /2018-06-01/runtime/invocation/next} and completes each invocation's
 * future with what the client posts back (a response, an invocation error, or an init error).
 * Plain JDK only, so the cold-start measurement can run it without a class path of libraries.
 */
public final class LocalRuntimeApi implements AutoCloseable {

    /** What the function answered to one invocation. */
    public record Result(boolean error, String body, long completedNanos) {
    }

    private static final String BASE = "/2018-06-01/runtime";
    private static final long NEXT_POLL_SECONDS = 1;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> restored = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean open = true;

    public LocalRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(BASE + "/invocation/next", this::next);
        server.createContext(BASE + "/invocation/", this::done);
        server.createContext(BASE + "/init/error", this::initError);
        server.createContext(BASE + "/restore/next", this::restoreNext);
        server.createContext(BASE + "/restore/error", this::restoreError);
        server.start();
    }

    /** Returns the {@code host:port} to put in {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes when the function has answered it. */
    public CompletableFuture<Result> invoke(String event) {
        String id = "req-" + ids.incrementAndGet();
        CompletableFuture<Result> result = new CompletableFuture<>();
        pending.put(id, result);
        if (initError.isDone()) {
            result.completeExceptionally(new IllegalStateException("init error: " + initError.join()));
        }
        queue.add(id + "\n" + event);
        return result;
    }

    /** Completes when the runtime client reports that the handler could not be initialised. */
    public CompletableFuture<String> initError() {
        return initError;
    }

    /**
     * Completes (with {@link System#nanoTime()}) when a SnapStart runtime client ({@code AWS_LAMBDA_INITIALIZATION_TYPE
     * =snap-start}) asks to be restored, after running the before-checkpoint hooks: the moment Lambda would snapshot.
     */
    public CompletableFuture<Long> restored() {
        return restored;
    }

    private void restoreNext(HttpExchange exchange) throws IOException {
        try (exchange) {
            restored.complete(System.nanoTime());
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void restoreError(HttpExchange exchange) throws IOException {
        try (exchange) {
            restored.completeExceptionally(new IllegalStateException("a SnapStart hook failed: "
                    + read(exchange.getRequestBody())));
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        try (exchange) {
            String item = null;
            while (open && item == null) {
                item = queue.poll(NEXT_POLL_SECONDS, TimeUnit.SECONDS);
            }
            if (item == null) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            int cut = item.indexOf('\n');
            String id = item.substring(0, cut);
            byte[] event = item.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
            var headers = exchange.getResponseHeaders();
            headers.add("Lambda-Runtime-Aws-Request-Id", id);
            headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
            headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:bulwark");
            headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
            headers.add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, event.length);
            exchange.getResponseBody().write(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void done(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            String[] parts = exchange.getRequestURI().getPath().substring((BASE + "/invocation/").length()).split("/");
            String body = read(exchange.getRequestBody());
            CompletableFuture<Result> result = parts.length == 2 ? pending.remove(parts[0]) : null;
            if (result == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(202, -1);
            result.complete(new Result("error".equals(parts[1]), body, now));
        }
    }

    private void initError(HttpExchange exchange) throws IOException {
        try (exchange) {
            String error = read(exchange.getRequestBody());
            initError.complete(error);
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("init error: " + error)));
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        open = false;
        server.stop(0);
        executor.shutdownNow();
    }
}
