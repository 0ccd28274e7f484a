package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Measures what SnapStart priming leaves cold: starts the context as the Lambda path does, runs the checkpoint hooks
 * as the SnapStart runtime does (its own {@code com.amazonaws.services.lambda.crac} global context, which
 * {@code org.crac} registers with when {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}), and
 * counts the classes and the time the first real {@code POST /sentiment} and {@code POST /predict} still take. A
 * measurement tool ({@code --no-prime}: without the hooks, for comparison):
 * <pre>
 * java -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac \
 *   -cp functions/target/cold-start/extracted/bulwark.jar:functions/target/test-classes:functions/target/lambda-runtime-client/* \
 *   io.bulwark.functions.aws.PrimingGap [--no-prime] [--spring.args...]
 * </pre>
 */
public final class PrimingGap {

    private PrimingGap() {
    }

    public static void main(String[] args) throws Exception {
        boolean prime = !java.util.List.of(args).contains("--no-prime");
        SpringApplication app = new SpringApplication(LambdaApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] appArgs = java.util.Arrays.stream(args).filter(a -> a.startsWith("--spring") || a.startsWith("--bulwark"))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = app.run(appArgs)) {
            if (prime) {
                // As Lambda's runtime client does with SnapStart (AWSLambda: before the snapshot, after the restore).
                try {
                    com.amazonaws.services.lambda.crac.Core.getGlobalContext().beforeCheckpoint(null);
                } catch (UnsatisfiedLinkError afterTheHooks) {
                    // Its DNS cache clearing is native, loaded by the runtime client's main only: the hooks have run.
                }
                com.amazonaws.services.lambda.crac.Core.getGlobalContext().afterRestore(null);
            }
            FunctionDispatcher dispatcher = context.getBean(FunctionDispatcher.class);
            first(dispatcher, "sentiment", "{\"text\": \"The battery died after two days, very disappointed\"}");
            first(dispatcher, "predict", "{\"island\": \"Dream\", \"bill_length_mm\": 39.5, \"bill_depth_mm\": 17.4,"
                    + " \"flipper_length_mm\": 186, \"body_mass_g\": 3800, \"sex\": \"female\"}");
        }
    }

    private static void first(FunctionDispatcher dispatcher, String function, String body) {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long loaded = classes.getTotalLoadedClassCount();
        long start = System.nanoTime();
        FunctionResponse r = dispatcher.dispatch(new FunctionRequest("POST", "/" + function,
                Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8)));
        System.out.printf("first real /%s after %s: status %d, %d classes loaded, %.1f ms%n", function,
                "priming", r.status(), classes.getTotalLoadedClassCount() - loaded, (System.nanoTime() - start) / 1e6);
    }
}
