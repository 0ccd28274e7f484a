package io.bulwark.functions.aws;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart's hooks called as Lambda calls them: the packaged Lambda jar under the real AWS runtime client with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, which initialises the function, runs the before-checkpoint hooks
 * of its own {@code com.amazonaws.services.lambda.crac} context (where {@code org.crac} registers {@link
 * SnapStartPriming}, as on Lambda, through {@code -Dorg.crac.Core.Compat}), asks the Runtime API to be restored
 * ({@code restore/next}: Lambda would snapshot here), runs the after-restore hooks, and only then takes invocations.
 * The first invocation after the "restore" finds the path primed: it loads (almost) no class.
 */
class SnapStartIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CRAC_COMPAT = "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac";

    @Test
    void should_prime_the_whole_chain_before_the_snapshot_and_answer_the_first_invocation_warm() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("snapstart-it.log");
        Files.deleteIfExists(log);
        Path tmp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "snapstart-tmp-");
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start",
                "MAIN_CLASS", LambdaApplication.class.getName(),
                "BULWARK_CLASSIFIER_REGISTRY", tmp.resolve("models").toString(),
                "BULWARK_PREDICTIONLOG_PATH", tmp.resolve("logs/predictions.jsonl").toString()));
        try (LocalRuntimeApi api = new LocalRuntimeApi()) {
            var answer = api.invoke(ApiGatewayEvents.fixture(ApiGatewayEvents.Format.HTTP_API_V2));
            try (LambdaProcess lambda = LambdaProcess.start(Path.of("target"), api.address(),
                    List.of(CRAC_COMPAT, "-Xlog:class+load=info:stdout:tags"), env, log)) {
                lambda.onExit().thenRun(() -> {
                    answer.completeExceptionally(new IllegalStateException("the Lambda JVM exited; see " + log));
                    api.restored().completeExceptionally(new IllegalStateException("the Lambda JVM exited; see " + log));
                });
                long restoredAt = api.restored().get(180, TimeUnit.SECONDS);
                LocalRuntimeApi.Result result = answer.get(60, TimeUnit.SECONDS);

                assertThat(result.completedNanos()).isGreaterThan(restoredAt);
                assertThat(result.error()).as(result.body()).isFalse();
                JsonNode response = JSON.readTree(result.body());
                assertThat(response.path("statusCode").asInt()).as(result.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.path("body").asString()).path("sentiment").asString())
                        .isEqualTo("positive");
            }
        }
        List<String> lines = Files.readAllLines(log);
        int primed = indexOf(lines, "Primed ", 0);
        int restored = indexOf(lines, "Restored from the snapshot", 0);
        int answered = indexOf(lines, "function=sentiment status=200", Math.max(restored, 0));
        assertThat(primed).as("the priming hook ran; see %s", log).isNotNegative();
        assertThat(lines.get(primed)).contains("200, 200]");
        assertThat(restored).as("the restore hook ran after the priming").isGreaterThan(primed);
        assertThat(answered).as("the invocation came after the restore").isGreaterThan(restored);
        // The models load on first use, not with the context: the priming requests load them before the snapshot.
        int tribuoModel = indexOf(lines, "org.tribuo.classification.sgd.linear.LinearSGDModel", "[class,load]");
        int onnxSession = indexOf(lines, "ai.onnxruntime.OrtSession ", "[class,load]");
        assertThat(tribuoModel).as("the classifier's model was loaded").isNotNegative().isLessThan(primed);
        assertThat(onnxSession).as("the digit model's ONNX session was opened").isNotNegative().isLessThan(primed);
        long classes = lines.subList(restored, answered).stream().filter(l -> l.startsWith("[class,load]")).count();
        // Measured here: 17, the runtime client's own invocation classes. With only the empty-bodied requests of the
        // earlier priming, 56 (Spring Cloud Function's invocation wrappers, the chain's success path).
        assertThat(classes).as("classes loaded between the restore and the first answer").isLessThan(30);
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && !lines.get(i).startsWith("[class,load]")) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(List<String> lines, String text, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
