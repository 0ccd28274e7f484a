package io.bulwark.sentiment.openai;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A throw-away endpoint on a private loopback port that answers every request to one path with one canned, valid
 * answer: the target of a provider's warm-up, so that warming up never calls (or pays) the real provider. The
 * OpenAI-compatible one answers chat completions ({@link #start()}); another kind gives its own path and answer.
 */
public final class WarmUp implements AutoCloseable {

    static final String ANSWER = """
            {"id":"warm-up","object":"chat.completion","created":0,"model":"warm-up",
             "choices":[{"index":0,"message":{"role":"assistant",
             "content":"{\\"sentiment\\": \\"neutral\\", \\"confidence\\": 0.5}"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private final HttpServer server;

    private WarmUp(HttpServer server) {
        this.server = server;
    }

    /** An OpenAI-compatible endpoint answering every chat completion with {@link #ANSWER}. */
    static WarmUp start() {
        return start("/v1/chat/completions", ANSWER);
    }

    /**
     * An endpoint answering every request to {@code path} with the JSON {@code answer}.
     *
     * @param path   the request path, starting with {@code /v1}
     * @param answer the JSON body of every answer
     */
    public static WarmUp start(String path, String answer) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the warm-up", e);
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new WarmUp(server);
    }

    /** The endpoint's base URL, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
