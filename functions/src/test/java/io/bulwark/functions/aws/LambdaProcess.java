package io.bulwark.functions.aws;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM running the Lambda jar under the real AWS runtime interface client, as Lambda's java21 runtime
 * would: {@code AWSLambda <handler>} with {@code AWS_LAMBDA_RUNTIME_API} pointing at a
 * {@link LocalRuntimeApi}. Plain JDK only (the cold-start measurement uses it too).
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
     * Starts the client on {@code target/bulwark-aws.jar} plus {@code target/lambda-runtime-client/*}.
     *
     * @param target     the functions module's build folder
     * @param jvmOptions options before the main class, e.g. {@code -XX:TieredStopAtLevel=1}
     * @param env        extra environment (template.yaml's variables)
     * @param log        where the JVM's output goes
     */
    static LambdaProcess start(Path target, String runtimeApi, List<String> jvmOptions, Map<String, String> env,
                               Path log) throws IOException {
        List<String> classPath = new ArrayList<>();
        classPath.add(target.resolve("bulwark-aws.jar").toString());
        try (Stream<Path> jars = Files.list(target.resolve("lambda-runtime-client"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> classPath.add(p.toString()));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(HANDLER);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "bulwark");
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        builder.environment().put("_HANDLER", HANDLER);
        builder.environment().putAll(env);
        return new LambdaProcess(builder.start());
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
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
