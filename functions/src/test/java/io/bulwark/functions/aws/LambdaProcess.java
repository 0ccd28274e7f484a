package io.bulwark.functions.aws;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM running the Lambda jar under the real AWS runtime interface client, laid out as Lambda's java21
 * runtime does it: the jar unzipped into a task root ({@code /var/task} on Lambda) that is the working
 * directory, the runtime client alone on the class path (it loads the task root and its {@code lib/}
 * with its own class loader), {@code AWSLambda <handler>} with {@code AWS_LAMBDA_RUNTIME_API} pointing at
 * a {@link LocalRuntimeApi}. Plain JDK only (the cold-start measurement uses it too).
 */
final class LambdaProcess implements AutoCloseable {

    /** The handler template.yaml names. */
    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    private static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private final Process process;

    private LambdaProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts the client ({@code target/lambda-runtime-client/*}) on {@code target/bulwark-aws.jar}, unzipped
     * into {@code target/lambda-task} when the jar is newer.
     *
     * @param target     the functions module's build folder
     * @param jvmOptions options before the main class, e.g. {@code -XX:TieredStopAtLevel=1}
     * @param env        extra environment (template.yaml's variables)
     * @param log        where the JVM's output goes
     */
    static LambdaProcess start(Path target, String runtimeApi, List<String> jvmOptions, Map<String, String> env,
                               Path log) throws IOException {
        return start(target, taskRoot(target), HANDLER, runtimeApi, jvmOptions, env, log);
    }

    /** Starts the client on another task root and handler (the cold-start calibration). */
    static LambdaProcess start(Path target, Path taskRoot, String handler, String runtimeApi, List<String> jvmOptions,
                               Map<String, String> env, Path log) throws IOException {
        taskRoot = taskRoot.toAbsolutePath();
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(target.resolve("lambda-runtime-client"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .forEach(p -> classPath.add(p.toAbsolutePath().toString()));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "bulwark");
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        builder.environment().put("_HANDLER", handler);
        builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
        builder.environment().putAll(env);
        return new LambdaProcess(builder.start());
    }

    /** Unzips the Lambda jar, as Lambda does into /var/task, unless already done for this jar. */
    static synchronized Path taskRoot(Path target) throws IOException {
        Path jar = target.resolve("bulwark-aws.jar").toAbsolutePath();
        Path root = target.resolve("lambda-task").toAbsolutePath();
        Path stamp = root.resolve(".unzipped-from");
        String version = jar + " " + Files.getLastModifiedTime(jar).toMillis() + " " + Files.size(jar);
        if (Files.exists(stamp) && Files.readString(stamp).equals(version)) {
            return root;
        }
        if (Files.exists(root)) {
            try (Stream<Path> old = Files.walk(root)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(root);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                java.util.zip.ZipEntry e = entries.nextElement();
                Path to = root.resolve(e.getName()).normalize();
                if (!to.startsWith(root)) {
                    throw new IOException("entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, to);
                    }
                }
            }
        }
        Files.writeString(stamp, version);
        return root;
    }

    /**
     * The Lambda jar as {@code lib/bulwark-aws.jar} of a task root, which Lambda's class loader also reads: classes
     * from a jar (not from the unzipped folders) are what a class-data-sharing archive can hold.
     */
    static synchronized Path jarTaskRoot(Path target) throws IOException {
        Path jar = target.resolve("bulwark-aws.jar").toAbsolutePath();
        Path lib = Files.createDirectories(target.resolve("lambda-task-jar").resolve("lib").toAbsolutePath());
        Path copy = lib.resolve("bulwark-aws.jar");
        if (!Files.exists(copy) || Files.size(copy) != Files.size(jar)
                || Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(jar)) < 0) {
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return lib.getParent();
    }

    /** Completes when the JVM exits. */
    java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // Long enough for a JVM writing a class-data-sharing archive at exit (-XX:ArchiveClassesAtExit).
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
