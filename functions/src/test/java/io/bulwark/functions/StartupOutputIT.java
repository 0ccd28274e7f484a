package io.bulwark.functions;

import io.bulwark.functions.HttpClientSupport.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the packaged runner prints when it starts (its own process, as bin/run starts it): the generated admin token
 * in a block after Spring's last start-up line, and none of the warnings that look like failures — the JDK's
 * native-access warnings (onnxruntime, sqlite-jdbc) and DJL's GPU probe (the MiniLM tokenizer).
 */
class StartupOutputIT {

    private static final String BEARER = "Authorization: Bearer ";
    private static final String END = "\u0000end of output";

    @Test
    void should_show_the_generated_admin_token_after_starting_and_no_native_access_or_gpu_warnings(@TempDir Path dir)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process runner = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target/bulwark.jar").toAbsolutePath().toString(), "--server.port=" + port,
                // An LLM (never called) loads the semantic cache's MiniLM embedder: onnxruntime and DJL.
                "--bulwark.llm.base-url=http://127.0.0.1:9/v1",
                // The sqlite prediction log loads sqlite-jdbc's native library.
                "--bulwark.prediction-log.backend=sqlite")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            List<String> lines = linesUntil(runner, line -> line.contains(BEARER), Duration.ofSeconds(120));
            String output = String.join("\n", lines);

            assertThat(lines.getLast()).as(output).contains(BEARER);
            assertThat(output).doesNotContain("restricted method", "enable-native-access", "Failed to detect GPU count");
            assertThat(output.indexOf("ADMIN TOKEN")).isGreaterThan(output.indexOf("Started BulwarkApplication"))
                    .isGreaterThan(output.indexOf("Embedder all-minilm-l6-v2-q loaded"))
                    .isGreaterThan(output.indexOf("Prediction log: sqlite"));
            String token = lines.getLast().substring(lines.getLast().indexOf(BEARER) + BEARER.length()).strip();
            HttpClientSupport http = new HttpClientSupport(port);
            Reply right = http.request("POST", "/rollback", Map.of("Authorization", "Bearer " + token), "");
            Reply wrong = http.request("POST", "/rollback", Map.of("Authorization", "Bearer x" + token), "");
            assertThat(right.status()).as(right.raw()).isEqualTo(409);
            assertThat(right.json().get("error").asString()).isEqualTo("nothing_to_roll_back");
            assertThat(wrong.status()).isEqualTo(401);
        } finally {
            runner.destroy();
            runner.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The process's output up to and including the first line that {@code last} accepts (or all, if none does). */
    private static List<String> linesUntil(Process process, Predicate<String> last, Duration within)
            throws InterruptedException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    queue.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                queue.add(END);
            }
        }, "runner-output");
        reader.setDaemon(true);
        reader.start();
        List<String> lines = new ArrayList<>();
        long until = System.nanoTime() + within.toNanos();
        while (true) {
            String line = queue.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                return lines;
            }
            lines.add(line);
            if (last.test(line)) {
                return lines;
            }
        }
    }
}
