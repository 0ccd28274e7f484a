package io.bulwark.sentiment.openai;

import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SocketTransport} against a raw HTTP/1.1 server on a loopback port whose every answer and every closed
 * connection the test decides.
 */
class SocketTransportTest {

    private static final String JSON = "{\"ok\":true}";
    private RawServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.builder().method(HttpMethod.POST).url(url).addHeader("Content-Type", "application/json")
                .addHeader("Authorization", "Bearer sk-test").body(body).build();
    }

    private static SocketTransport transport() {
        return new SocketTransport(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static String ok(String body, String... headers) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + String.join("", headers)
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void should_send_sequential_calls_over_one_kept_alive_connection() throws IOException {
        server = RawServer.start((connection, request) -> Reply.answer(ok("{\"n\":" + request + "}")));
        SocketTransport transport = transport();
        for (int i = 0; i < 20; i++) {
            Transport.Answer answer = transport.send(post(server.url("/v1/chat/completions"), "{\"i\":" + i + "}"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).hasSize(20);
        String first = server.requests.get(0);
        assertThat(first).startsWith("POST /v1/chat/completions HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "Content-Length: 7\r\n",
                        "Authorization: Bearer sk-test\r\n")
                .endsWith("\r\n\r\n{\"i\":0}");
        assertThat(transport.idleConnections(server.url("/v1/chat/completions"))).isEqualTo(1);
    }

    @Test
    void should_decode_a_chunked_answer_and_read_headers_in_any_case() throws IOException {
        server = RawServer.start((connection, request) -> Reply.answer("HTTP/1.1 429 Too Many Requests\r\n"
                + "retry-after-ms: 250\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "\r\n4;ext=1\r\n{\"er\r\na\r\nror\":\"é\"}\r\n0\r\n\r\n"));
        SocketTransport transport = transport();
        for (int i = 0; i < 2; i++) {
            Transport.Answer answer = transport.send(post(server.url("/v1/x"), "{}"));
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.body()).isEqualTo("{\"error\":\"é\"}");
            assertThat(answer.headers().get("Retry-After-Ms")).containsExactly("250");
        }
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void should_never_send_a_request_twice_even_when_a_kept_alive_connection_breaks_before_answering()
            throws IOException {
        // Each connection answers one request; the second is read and the connection closed without an answer.
        server = RawServer.start((connection, request) -> request == 0 ? Reply.answer(ok(JSON)) : Reply.hangUp());
        SocketTransport transport = transport();
        transport.send(post(server.url("/"), "{}"));
        assertThatThrownBy(() -> transport.send(post(server.url("/"), "{}"))).isInstanceOf(EOFException.class);
        assertThat(server.requests).hasSize(2);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(transport.send(post(server.url("/"), "{}")).body()).isEqualTo(JSON); // on a new connection
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void should_not_send_again_when_a_new_connection_closes_before_answering() {
        server = RawServer.start((connection, request) -> Reply.hangUp());
        SocketTransport transport = transport();
        assertThatThrownBy(() -> transport.send(post(server.url("/"), "{}"))).isInstanceOf(EOFException.class);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void should_close_a_connection_the_server_asked_to_close() throws IOException {
        server = RawServer.start((connection, request) -> Reply.answer(ok(JSON, "Connection: close\r\n")));
        SocketTransport transport = transport();
        transport.send(post(server.url("/"), "{}"));
        transport.send(post(server.url("/"), "{}"));
        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(transport.idleConnections(server.url("/"))).isZero();
    }

    @Test
    void should_read_a_body_that_ends_with_the_connection() throws IOException {
        server = RawServer.start((connection, request) -> Reply.answerAndClose(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nupstream broke"));
        Transport.Answer answer = transport().send(post(server.url("/"), "{}"));
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("upstream broke");
    }

    @Test
    void should_time_out_a_server_that_does_not_answer_within_the_read_timeout() {
        server = RawServer.start((connection, request) -> Reply.silence());
        SocketTransport transport = new SocketTransport(Duration.ofSeconds(2), Duration.ofMillis(300));
        assertThatThrownBy(() -> transport.send(post(server.url("/"), "{}")))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(server.requests).hasSize(1); // a slow answer is never sent twice
    }

    @Test
    void should_give_up_when_the_calling_threads_deadline_passes_before_the_read_timeout() {
        server = RawServer.start((connection, request) -> Reply.silence());
        SocketTransport transport = new SocketTransport(Duration.ofSeconds(2), Duration.ofSeconds(20));
        long start = System.nanoTime();
        SocketTransport.deadline(io.bulwark.resilience.Deadline.after(Duration.ofMillis(300),
                io.bulwark.resilience.Ticker.system()));
        try {
            assertThatThrownBy(() -> transport.send(post(server.url("/"), "{}")))
                    .isInstanceOf(SocketTimeoutException.class);
        } finally {
            SocketTransport.deadline(null);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.requests).hasSize(1); // never sent twice
        assertThat(transport.idleConnections(server.url("/"))).as("a timed-out connection is not reused").isZero();
    }

    @Test
    void should_not_send_when_the_calling_threads_deadline_has_passed_and_keep_the_read_timeout_without_one()
            throws IOException {
        server = RawServer.start((connection, request) -> Reply.answer(ok(JSON)));
        SocketTransport transport = transport();
        io.bulwark.resilience.SimulatedTime time = new io.bulwark.resilience.SimulatedTime();
        SocketTransport.deadline(io.bulwark.resilience.Deadline.after(Duration.ZERO, time));
        try {
            assertThatThrownBy(() -> transport.send(post(server.url("/"), "{}")))
                    .isInstanceOf(SocketTimeoutException.class);
        } finally {
            SocketTransport.deadline(null);
        }
        assertThat(server.requests).isEmpty();
        assertThat(SocketTransport.deadline()).isNull();
        assertThat(transport.send(post(server.url("/"), "{}")).body()).isEqualTo(JSON);
    }

    @Test
    void should_open_a_new_connection_instead_of_one_idle_for_too_long() throws IOException {
        AtomicLong now = new AtomicLong();
        server = RawServer.start((connection, request) -> Reply.answer(ok(JSON)));
        SocketTransport transport = new SocketTransport(Duration.ofSeconds(2), Duration.ofSeconds(5), now::get,
                (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault());
        transport.send(post(server.url("/"), "{}"));
        now.addAndGet(SocketTransport.MAX_IDLE.toNanos() - 1);
        transport.send(post(server.url("/"), "{}")); // just under MAX_IDLE: reused
        now.addAndGet(SocketTransport.MAX_IDLE.toNanos());
        transport.send(post(server.url("/"), "{}"));
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void should_speak_tls_to_the_host_its_certificate_names_and_refuse_any_other(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, password);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(keys);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(km.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tm.getTrustManagers(), null);
        server = RawServer.start((connection, request) -> Reply.answer(ok(JSON)), serverTls.getServerSocketFactory());
        SocketTransport transport = new SocketTransport(Duration.ofSeconds(2), Duration.ofSeconds(5), System::nanoTime,
                clientTls.getSocketFactory());

        String named = "https://localhost:" + server.port() + "/v1/chat/completions";
        assertThat(transport.send(post(named, "{}")).body()).isEqualTo(JSON);
        assertThat(transport.send(post(named, "{}")).body()).isEqualTo(JSON);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests.get(0)).contains("Host: localhost:" + server.port() + "\r\n");

        // 127.0.0.1 is the same server, but the certificate does not name it
        assertThatThrownBy(() -> transport.send(post("https://127.0.0.1:" + server.port() + "/", "{}")))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void should_refuse_a_url_that_is_not_http() {
        assertThatThrownBy(() -> transport().send(post("ftp://127.0.0.1/x", "{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** What the raw server does with one request. */
    private record Reply(String bytes, boolean close, boolean silent) {
        static Reply answer(String http) {
            return new Reply(http, false, false);
        }

        static Reply answerAndClose(String http) {
            return new Reply(http, true, false);
        }

        static Reply hangUp() {
            return new Reply(null, true, false);
        }

        static Reply silence() {
            return new Reply(null, false, true);
        }
    }

    @FunctionalInterface
    private interface Script {
        /** The reply to the {@code request}-th request (from 0) on the {@code connection}-th connection. */
        Reply reply(int connection, int request);
    }

    /** An HTTP/1.1 server that reads whole requests and replies as its script says, one virtual thread each. */
    private static final class RawServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();

        private RawServer(ServerSocket socket) {
            this.socket = socket;
        }

        static RawServer start(Script script) {
            return start(script, ServerSocketFactory.getDefault());
        }

        static RawServer start(Script script, ServerSocketFactory sockets) {
            try {
                RawServer server = new RawServer(sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
                Thread.ofVirtual().start(() -> server.accept(script));
                return server;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        private void accept(Script script) {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    open.add(s);
                    int connection = connections.getAndIncrement();
                    Thread.ofVirtual().start(() -> serve(s, connection, script));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket s, int connection, Script script) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                for (int request = 0; ; request++) {
                    String head = head(in);
                    if (head == null) {
                        return;
                    }
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    requests.add(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
                    Reply reply = script.reply(connection, request);
                    if (reply.silent()) {
                        in.read(); // until the client gives up and closes
                        return;
                    }
                    if (reply.bytes() != null) {
                        out.write(reply.bytes().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        answered.incrementAndGet();
                    }
                    if (reply.close()) {
                        return;
                    }
                }
            } catch (IOException gone) {
                // the client closed the connection
            }
        }

        /** The request line and headers up to and including the blank line; null at the end of the stream. */
        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b; (b = in.read()) >= 0; ) {
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
                if (matched == 4) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
