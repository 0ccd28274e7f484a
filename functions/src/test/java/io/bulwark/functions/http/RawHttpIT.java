package io.bulwark.functions.http;

import io.bulwark.functions.HttpClientSupport;
import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Tomcat refuses before Spring sees it, and Spring's own error page, answer the contract's JSON too. The requests
 * are written byte for byte on a socket: HTTP clients normalise paths and refuse bad headers themselves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RawHttpIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Raw send(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    static Raw parse(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        assertThat(end).as(all).isPositive();
        String[] lines = all.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = all.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    static void assertContractError(Raw r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).as(r.headers().toString()).startsWith("application/json");
        assertThat(r.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat").doesNotContain("Exception");
        assertThat(r.json().path("error").asString()).isNotBlank();
        assertThat(r.json().path("message").asString()).isNotBlank();
        assertThat(r.json().has("field")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/%2e%2e/etc/passwd", "/sentiment/..;/x", "/%2e%2e;/sentiment", "/a%00b", "/a%2fb%2e%2e"})
    void should_answer_a_path_tomcat_refuses_with_the_contract_json(String path) throws IOException {
        Raw r = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertContractError(r, r.status());
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
    }

    @Test
    void should_answer_a_control_byte_in_a_header_with_a_json_400() throws IOException {
        Raw r = send("POST /sentiment HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");

        assertContractError(r, 400);
        assertThat(r.json().path("error").asString()).isEqualTo("bad_request");
    }

    @Test
    void should_answer_headers_over_the_size_limit_with_json() throws IOException {
        Raw r = send("GET /models HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(10_000)
                + "\r\nConnection: close\r\n\r\n");

        assertContractError(r, r.status());
        assertThat(r.status()).isIn(400, 431);
    }

    @Test
    void should_answer_a_malformed_request_line_with_json() throws IOException {
        Raw r = send("GET /a b c HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertContractError(r, 400);
    }

    @Test
    void should_answer_post_error_as_an_unknown_path_in_the_contract_json() {
        Reply r = new HttpClientSupport(port).postJson("/error", "{}");

        assertThat(r.status()).as(r.raw()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().path("error").asString()).isEqualTo("not_found");
        assertThat(r.json().path("field").asString()).isEqualTo("path");
        assertThat(r.raw()).doesNotContain("timestamp").doesNotContain("Internal Server Error");
    }

    @Test
    void should_answer_get_error_the_same_way() {
        Reply r = new HttpClientSupport(port).get("/error");

        assertThat(r.status()).as(r.raw()).isEqualTo(404);
        assertThat(r.json().path("error").asString()).isEqualTo("not_found");
    }
}
