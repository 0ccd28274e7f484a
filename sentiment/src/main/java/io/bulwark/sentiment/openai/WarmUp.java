package io.bulwark.sentiment.openai;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A throw-away OpenAI-compatible endpoint on a private loopback port that answers every chat completion
 * with one canned, valid answer: the target of a provider's warm-up, so that warming up never calls (or
 * pays) the real provider.
 */
final class WarmUp implements AutoCloseable {

    static final String ANSWER = """
            {"id":"warm-up","object":"chat.completion","created":0,"model":"warm-up",
             "choices":[{"index":0,"message":{"role":"assistant",
             "content":"{\\"sentiment\\": \\"neutral\\", \\"confidence\\": 0.5}"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private final HttpServer server;

    private WarmUp(HttpServer server) {
        this.server = server;
    }

    static WarmUp start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the warm-up", e);
        }
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return new WarmUp(server);
    }

    String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
