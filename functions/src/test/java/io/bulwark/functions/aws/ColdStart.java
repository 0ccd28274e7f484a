package io.bulwark.functions.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures cold start: from launching a JVM to receiving its first answer to {@code POST /sentiment},
 * over several fresh JVMs, and prints each run and the median. Run by {@code bin/cold-start}.
 * <pre>
 * ColdStart lambda|local|trivial RUNS [JVM option...]
 * </pre>
 * {@code trivial}: the same with {@link TrivialHandler}, no framework (the machine's own floor);
 * {@code lambda}: {@code target/bulwark-aws.jar} under the real AWS runtime client against a
 * {@link LocalRuntimeApi} (the time until the client posts the response); {@code local}:
 * {@code java -jar target/bulwark.jar}, or the jar in {@code -Dbulwark.local-jar} (the time until the HTTP
 * answer arrives); {@code -Dbulwark.lambda-jar-layout=true}: the Lambda path with the jar as {@code lib/bulwark-aws.jar}
 * of the task root instead of unzipped (what a class-data-sharing archive needs); {@code -Dbulwark.cold-start.event=digits}:
 * the Lambda path's first request is {@code POST /digits} with a PNG body ({@code events/http-api-v2-digits.json})
 * instead of {@code /sentiment}; {@code -Dbulwark.cold-start.main-class=io.bulwark.functions.BulwarkApplication}: the
 * Lambda path with the runner's full context instead of template.yaml's {@code LambdaApplication}. Environment variables
 * (e.g. {@code SPRING_MAIN_LAZY_INITIALIZATION=true}) pass through to the measured JVM.
 */
public final class ColdStart {

    private static final Path TARGET = Path.of(System.getProperty("bulwark.target", "functions/target"));
    private static final String BODY = "{\"text\": \"I love this product, it works great\"}";
    private static final long LIMIT_SECONDS = 120;
    /** template.yaml's MAIN_CLASS; {@code -Dbulwark.cold-start.main-class} names another (the runner's, to compare). */
    private static final String LAMBDA_MAIN_CLASS = "io.bulwark.functions.aws.LambdaApplication";
    private static boolean printed;
    /** By name: this JVM does not have the Lambda interfaces the handler implements. */
    private static final String TRIVIAL_HANDLER = "io.bulwark.functions.aws.TrivialHandler";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("lambda", "local", "trivial").contains(args[0])) {
            System.err.println("usage: ColdStart lambda|local|trivial RUNS [JVM option...]");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[1]);
        List<String> jvm = Arrays.asList(args).subList(2, args.length);
        Path log = Files.createDirectories(TARGET.resolve("cold-start")).resolve(args[0] + ".log");
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            long ms = switch (args[0]) {
                case "lambda" -> lambda(jvm, log, false);
                case "trivial" -> lambda(jvm, log, true);
                default -> local(jvm, log);
            };
            millis.add(ms);
            System.out.printf("run %d: %d ms%n", i, ms);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("%s %s: median %d ms, min %d, max %d over %d runs (load average %s)%n", args[0], jvm,
                median, sorted.getFirst(), sorted.getLast(), runs, loadAverage());
    }

    private static long lambda(List<String> jvm, Path log, boolean trivial) throws Exception {
        String event;
        try (InputStream in = ColdStart.class.getClassLoader().getResourceAsStream(
                "events/http-api-v2-" + System.getProperty("bulwark.cold-start.event", "sentiment") + ".json")) {
            event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (LocalRuntimeApi api = new LocalRuntimeApi()) {
            var answer = api.invoke(event);
            long start = System.nanoTime();
            Map<String, String> env = new java.util.HashMap<>(freshFiles());
            env.put("MAIN_CLASS", System.getProperty("bulwark.cold-start.main-class", LAMBDA_MAIN_CLASS));
            try (LambdaProcess p = trivial
                    ? LambdaProcess.start(TARGET, TARGET.resolve("test-classes"), TRIVIAL_HANDLER,
                    api.address(), jvm, env, log)
                    : Boolean.getBoolean("bulwark.lambda-jar-layout")
                    ? LambdaProcess.start(TARGET, LambdaProcess.jarTaskRoot(TARGET), LambdaProcess.HANDLER,
                    api.address(), jvm, env, log)
                    : LambdaProcess.start(TARGET, api.address(), jvm, env, log)) {
                LocalRuntimeApi.Result result = answer.get(LIMIT_SECONDS, TimeUnit.SECONDS);
                if (result.error() || !result.body().contains("\"statusCode\":200")) {
                    throw new IllegalStateException("not a 200: " + result.body());
                }
                if (!printed) {
                    printed = true;
                    System.out.println("first answer: " + result.body());
                }
                return TimeUnit.NANOSECONDS.toMillis(result.completedNanos() - start);
            }
        }
    }

    private static long local(List<String> jvm, Path log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        String jar = System.getProperty("bulwark.local-jar", TARGET.resolve("bulwark.jar").toString());
        command.addAll(List.of("-jar", jar, "--server.port=" + port));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sentiment"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(freshFiles());
        Process p = builder.start();
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("not a 200: " + r.body());
                    }
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                } catch (ConnectException notYetListening) {
                    // The server is still starting: poll again. A measurement tool, not a test.
                    Thread.sleep(5);
                }
            }
            throw new IllegalStateException("no answer; see " + log);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * An empty model registry and prediction log for each run, as a new Lambda instance has an empty /tmp:
     * a cold start includes training the classifier's v1 and installing the shipped digit v1.
     */
    private static Map<String, String> freshFiles() throws IOException {
        Path tmp = Files.createTempDirectory(Files.createDirectories(TARGET.resolve("cold-start")), "tmp-");
        return Map.of("BULWARK_CLASSIFIER_REGISTRY", tmp.resolve("models").toAbsolutePath().toString(),
                "BULWARK_DIGITS_REGISTRY", tmp.resolve("digits").toAbsolutePath().toString(),
                "BULWARK_PREDICTIONLOG_PATH", tmp.resolve("logs/predictions.jsonl").toAbsolutePath().toString());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
