package io.bulwark.sentiment.anthropic;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A throw-away Messages API endpoint on a private loopback port answering every message with one canned, valid
 * answer: the target of the Anthropic provider's warm-up.
 */
final class CannedMessages implements AutoCloseable {

    static final String ANSWER = """
            {"id":"msg_warm_up","type":"message","role":"assistant","model":"warm-up",
             "content":[{"type":"text","text":"{\\"sentiment\\": \\"neutral\\", \\"confidence\\": 0.5}"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""";

    private final HttpServer server;

    private CannedMessages(HttpServer server) {
        this.server = server;
    }

    static CannedMessages start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the warm-up", e);
        }
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return new CannedMessages(server);
    }

    String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
