package io.bulwark.functions.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local runner's operator pages on its one public port: refused to anonymous callers (and to a wrong token) with
 * a 401 that a browser answers with a login prompt, shown to the operator with the admin token as a bearer, as
 * X-Admin-Token or as a Basic password. Health answers probes, without its details; functions are not affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the default, which the tests' shared configuration turns off for the tests that read the pages
        "bulwark.operator.require-token=true",
        "bulwark.admin-token=" + OperatorPagesIT.TOKEN,
})
class OperatorPagesIT {

    static final String TOKEN = "operator-pages-token";
    static final List<String> PAGES = List.of("/dashboard", "/metrics/summary", "/metrics/dashboard", "/alerts",
            "/metrics/providers", "/actuator", "/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.threads.live",
            "/actuator/info");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    record Reply(int status, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            return JSON.readTree(response.body());
        }
    }

    Reply get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_refuse_the_operator_pages_to_anonymous_callers_with_a_login_prompt() {
        for (String page : PAGES) {
            Reply r = get(page, Map.of());

            assertThat(r.status()).as(page).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(page).startsWith("Basic realm=");
            assertThat(r.json().path("error").asString()).as(page).isEqualTo("unauthorized");
            assertThat(r.response().body()).as(page).doesNotContain("jvm_", "sentiment", "<html");
        }
    }

    @Test
    void should_refuse_a_wrong_token_in_every_form() {
        for (Map<String, String> wrong : List.of(Map.of("Authorization", "Bearer not-the-token"),
                Map.of("X-Admin-Token", "not-the-token"), Map.of("Authorization", basic("operator", "not-the-token")),
                Map.of("Authorization", "Basic %%%not-base64"), Map.of("Authorization", TOKEN))) {
            assertThat(get("/metrics/summary", wrong).status()).as(wrong.toString()).isEqualTo(401);
        }
        // Sent, X-Admin-Token is the credential checked: a right bearer beside a wrong one does not open.
        assertThat(get("/alerts", Map.of("Authorization", "Bearer " + TOKEN, "X-Admin-Token", "wrong")).status())
                .isEqualTo(401);
    }

    @Test
    void should_show_the_operator_pages_to_the_admin_token_in_every_form() {
        for (Map<String, String> operator : List.of(Map.of("Authorization", "Bearer " + TOKEN),
                Map.of("X-Admin-Token", TOKEN), Map.of("Authorization", basic("anyone", TOKEN)))) {
            for (String page : PAGES) {
                assertThat(get(page, operator).status()).as(page + " with " + operator.keySet()).isEqualTo(200);
            }
        }
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + TOKEN);
        assertThat(get("/metrics/summary", bearer).json().has("functions")).isTrue();
        assertThat(get("/actuator/prometheus", bearer).response().body()).contains("jvm_");
        assertThat(get("/dashboard", bearer).response().body()).contains("<html");
    }

    @Test
    void should_let_a_browser_in_with_the_cookie_a_page_shown_for_the_token_sets() {
        Reply login = get("/dashboard", Map.of("Authorization", basic("anyone", TOKEN)));
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie).startsWith(OperatorAccess.COOKIE + "=").contains("HttpOnly", "SameSite=Strict")
                .doesNotContain(TOKEN);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        for (String page : PAGES) {
            assertThat(get(page, Map.of("Cookie", cookie)).status()).as(page + " with the cookie").isEqualTo(200);
        }
        assertThat(get("/metrics/summary", Map.of("Cookie", OperatorAccess.COOKIE + "=forged")).status()).isEqualTo(401);
        assertThat(get("/metrics/summary", Map.of("Cookie", OperatorAccess.COOKIE + "=" + TOKEN)).status())
                .as("the token itself is not the cookie").isEqualTo(401);
        // A wrong credential sent beside the cookie is not overlooked.
        assertThat(get("/alerts", Map.of("Cookie", cookie, "X-Admin-Token", "wrong")).status()).isEqualTo(401);
    }

    @Test
    void should_answer_health_to_probes_without_details_and_with_them_to_the_operator() {
        Reply anonymous = get("/actuator/health", Map.of());
        assertThat(anonymous.status()).isIn(200, 503);
        assertThat(anonymous.json().has("status")).isTrue();
        assertThat(anonymous.json().has("components")).as("components shown to anyone").isFalse();
        assertThat(anonymous.response().body()).doesNotContain("details", "models");
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            assertThat(get(probe, Map.of()).status()).as(probe).isIn(200, 503);
        }

        for (Map<String, String> operator : List.of(Map.of("Authorization", "Bearer " + TOKEN),
                Map.of("X-Admin-Token", TOKEN))) {
            Reply details = get("/actuator/health", operator);
            assertThat(details.json().path("components").has("models")).as(operator.keySet().toString()).isTrue();
        }
    }

    @Test
    void should_leave_the_functions_and_the_public_contract_open() {
        assertThat(get("/openapi.json", Map.of()).status()).isEqualTo(200);
        assertThat(get("/models", Map.of()).status()).isEqualTo(200);
        // An admin function keeps its own check, and takes the token as X-Admin-Token too.
        assertThat(get("/datasets", Map.of()).status()).isEqualTo(401);
        assertThat(get("/datasets", Map.of("X-Admin-Token", TOKEN)).status()).isEqualTo(200);
        assertThat(get("/datasets", Map.of("X-Admin-Token", "wrong")).status()).isEqualTo(401);
    }

    @Test
    void should_require_the_token_unless_told_otherwise() {
        OperatorProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("bulwark.operator", OperatorProperties.class);
        assertThat(defaults.requireToken()).isTrue();
    }
}
