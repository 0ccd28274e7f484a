package io.bulwark.functions.container;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image (target/bulwark-image.tar, made offline by src/container/build-image.sh before the integration
 * tests) is loaded into Debian's podman, started, and answers {@code POST /sentiment} over a published port on
 * loopback. Also checks what is in it: only linux x86_64 native libraries, no WireMock, chaos or command-line tools.
 * <p>
 * Needs podman and runc ({@code .ci/run} installs both); fails, never skips, without them. runc rather than podman's
 * default crun: crun 1.8 refuses hosts whose cgroups are mounted in hybrid mode (v1 controllers beside a v2 tree, as
 * on this build machine: "cgroups in hybrid mode not supported"). The file and process limits are passed at or below
 * this process's own: without CAP_SYS_RESOURCE, podman's default (raise open files to 1048576) is refused.
 */
class ContainerImageIT {

    private static final Path IMAGE = Path.of("target", "bulwark-image.tar");
    private static final Duration START_LIMIT = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, byte[]> layers = new HashMap<>();
    private static JsonNode config;
    private static String imageId;

    @BeforeAll
    static void load() throws Exception {
        assertThat(IMAGE).as("built by src/container/build-image.sh in pre-integration-test").exists();
        Map<String, byte[]> files = Tar.read(Files.newInputStream(IMAGE), n -> true);
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        config = JSON.readTree(files.get(manifest.get(0).get("Config").asString()));
        for (JsonNode layer : manifest.get(0).get("Layers")) {
            layers.put(layer.asString(), files.get(layer.asString()));
        }
        String out = podman(Duration.ofMinutes(3), "load", "-i", IMAGE.toAbsolutePath().toString());
        assertThat(out).contains("Loaded image");
        imageId = manifest.get(0).get("Config").asString().replace(".json", "");
    }

    @AfterAll
    static void remove() throws Exception {
        if (imageId != null) {
            podman(Duration.ofMinutes(1), "rmi", "--force", imageId);
        }
    }

    @Test
    void should_answer_sentiment_over_http_from_the_running_container() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String name = "bulwark-it-" + UUID.randomUUID();
        podman(Duration.ofMinutes(2), limits("run", "--detach", "--name", name, "--publish", "127.0.0.1:" + port + ":8080",
                imageId));
        try {
            HttpResponse<String> answer = firstAnswer(URI.create("http://127.0.0.1:" + port + "/sentiment"), name);

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("sentiment").asString()).isEqualTo("positive");
            assertThat(body.get("tier").asString()).isEqualTo("local");
            assertThat(body.get("degraded").asBoolean()).isFalse();
            String logs = podman(Duration.ofMinutes(1), "logs", name);
            assertThat(logs).contains("started by bulwark in /data").doesNotContain("ERROR");
        } finally {
            podman(Duration.ofMinutes(1), "rm", "--force", "--time", "5", name);
        }
    }

    @Test
    void should_run_as_an_unprivileged_user_on_port_8080() {
        JsonNode c = config.get("config");
        assertThat(config.get("architecture").asString()).isEqualTo("amd64");
        assertThat(c.get("User").asString()).isEqualTo("1000:1000");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.get("Entrypoint").get(0).asString()).isEqualTo("/opt/java/bin/java");
        assertThat(layers).hasSize(3);
    }

    @Test
    void should_hold_only_linux_x86_64_native_libraries_and_no_test_or_tool_code() throws IOException {
        List<String> appEntries = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (byte[] layer : layers.values()) {
            Map<String, byte[]> content = Tar.read(new ByteArrayInputStream(layer),
                    n -> n.equals("app/bulwark.jar"));
            files.addAll(Tar.names(new ByteArrayInputStream(layer)));
            if (content.containsKey("app/bulwark.jar")) {
                try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content.get("app/bulwark.jar")))) {
                    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                        appEntries.add(e.getName());
                    }
                }
            }
        }
        assertThat(appEntries).as("the app jar").contains("io/bulwark/functions/BulwarkApplication.class",
                "org/apache/catalina/startup/Tomcat.class");
        assertThat(appEntries).noneMatch(e -> e.startsWith("wiremock/") || e.startsWith("com/github/tomakehurst/")
                || e.startsWith("io/bulwark/tools/") || e.startsWith("io/bulwark/chaos/") || e.startsWith("picocli/")
                || e.startsWith("io/bulwark/benchmarks/") || e.startsWith("org/openjdk/jmh/"));
        List<String> natives = appEntries.stream().filter(ContainerImageIT::isNative).toList();
        assertThat(natives).as("native libraries in the app jar")
                .anyMatch(n -> n.contains("onnxruntime"))
                .allMatch(ContainerImageIT::linuxX8664);
        assertThat(files).as("files of every layer").filteredOn(ContainerImageIT::isNative)
                .noneMatch(n -> n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".pdb"))
                .contains("opt/java/lib/server/libjvm.so", "lib64/ld-linux-x86-64.so.2")
                .anyMatch(n -> n.startsWith("lib/x86_64-linux-gnu/libc.so"));
    }

    private static boolean isNative(String entry) {
        return entry.matches("(?i).*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib|pdb|lib|exp)");
    }

    private static boolean linuxX8664(String entry) {
        String e = entry.toLowerCase(java.util.Locale.ROOT);
        return e.matches(".*linux[^/]*[/._-](x86[-_]64|amd64|x64)[/.].*") && !e.contains("musl") && !e.contains("android");
    }

    private static HttpResponse<String> firstAnswer(URI uri, String container) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"This product is amazing!\"}")).build();
        long until = System.nanoTime() + START_LIMIT.toNanos();
        IOException last = null;
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 502 && r.statusCode() != 503) {
                    return r;
                }
            } catch (IOException notYetListening) {
                last = notYetListening;
            }
            String state = podman(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Running}}", container).strip();
            assertThat(state).as("the container is still running; its log:\n%s",
                    podman(Duration.ofSeconds(30), "logs", container)).isEqualTo("true");
            // The runner is still starting: poll again (podman inspect above paces the loop).
        }
        throw new AssertionError("no answer within " + START_LIMIT + "; log:\n" + podman(Duration.ofSeconds(30), "logs",
                container), last);
    }

    /** podman run's options for this machine kind: runc, and limits no higher than this process's own. */
    private static String[] limits(String... run) throws Exception {
        long files = Math.min(65536, Long.parseLong(exec(Duration.ofSeconds(10), "bash", "-c", "ulimit -n").strip()));
        List<String> args = new ArrayList<>(List.of(run[0]));
        args.addAll(List.of("--ulimit", "nofile=" + files + ":" + files, "--ulimit", "nproc=4096:4096"));
        args.addAll(List.of(run).subList(1, run.length));
        return args.toArray(String[]::new);
    }

    private static String podman(Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        command.addAll(List.of(args));
        return exec(limit, command.toArray(String[]::new));
    }

    private static String exec(Duration limit, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed (.ci/run installs podman and runc)", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took longer than " + limit);
        }
        reader.join(Duration.ofSeconds(10));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), text).isZero();
        return text;
    }
}
