package io.bulwark.models.digits;

import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.VersionMetadata;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped digit version through the service: installed into an empty registry, measured again on the 2,000
 * held-out digits in every variant (the accuracy floors), uncertain below the threshold, and a damaged variant
 * file refused by its registered SHA-256.
 */
class DigitServiceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * The shipped version measured 0.9890 / 0.9890 / 0.9890 (fp32 / fp16 / int8) on the 2,000 held-out digits; each
     * floor is that minus 0.002 (four digits), the margin for ONNX Runtime builds that round differently.
     */
    static final Map<Variant, Double> FLOORS = Map.of(Variant.FP32, 0.9870, Variant.FP16, 0.9870, Variant.INT8, 0.9870);
    static List<Labelled<DigitImage>> heldOut;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        heldOut = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED).test();
    }

    DigitService service(double threshold) {
        return new DigitService(new DigitVersions(new ModelRegistry(dir, JSON), JSON),
                DigitModelType.bundled(ImageLimits.defaults()),
                new DigitService.Settings(threshold, Variant.INT8, 64, 256, 2, java.time.Duration.ofSeconds(5)));
    }

    @Test
    void should_reach_the_accuracy_floor_in_every_variant_on_the_held_out_digits() {
        DigitService service = service(0);
        assertThat(service.start()).isEqualTo("v1");
        List<DigitImage> images = heldOut.stream().map(Labelled::input).toList();
        List<String> actual = heldOut.stream().map(Labelled::label).toList();
        double fp32 = 0;
        for (Variant v : List.of(Variant.FP32, Variant.FP16, Variant.INT8)) {
            DigitService.Answers answers = service.recognise(images, null, v.wire());
            List<String> predicted = new ArrayList<>();
            answers.answers().forEach(a -> predicted.add(Integer.toString(a.digit())));
            double accuracy = Metrics.of(actual, predicted).accuracy();
            assertThat(answers.variant()).isEqualTo(v);
            assertThat(answers.fallback()).isNull();
            assertThat(accuracy).as(v + " held-out accuracy").isGreaterThanOrEqualTo(FLOORS.get(v));
            if (v == Variant.FP32) {
                fp32 = accuracy;
            } else {
                assertThat(accuracy).as(v + " held-out accuracy, within a point of fp32's " + fp32)
                        .isGreaterThanOrEqualTo(fp32 - 0.01);
            }
        }
        // What the version registered for each variant is what it measures here.
        Map<String, DigitVersions.Artifact> artifacts = new DigitVersions(new ModelRegistry(dir, JSON), JSON)
                .artifacts("v1");
        assertThat(artifacts.get("fp32").metrics().accuracy()).isEqualTo(fp32);
    }

    @Test
    void should_answer_uncertain_with_the_best_guess_below_the_threshold() {
        DigitService service = service(1.0);
        service.start();
        DigitService.Answer a = service.recognise(List.of(heldOut.getFirst().input()), null, null).answers()
                .getFirst();
        assertThat(a.uncertain()).isTrue();
        assertThat(a.digit()).isNull();
        assertThat(a.bestGuess()).isBetween(0, 9);
        assertThat(a.probabilities()).hasSize(10);
    }

    @Test
    void should_refuse_a_variant_file_that_does_not_match_its_registered_hash() throws Exception {
        DigitService first = service(0.5);
        first.start();
        Path int8 = dir.resolve("v1").resolve(Variant.INT8.fileName());
        byte[] bytes = Files.readAllBytes(int8);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(int8, bytes);

        DigitService second = service(0.5);
        assertThatThrownBy(second::start).isInstanceOf(RequestRejected.class)
                .satisfies(e -> assertThat(((RequestRejected) e).status()).isEqualTo(503))
                .hasMessageContaining("SHA-256");
    }

    /** The shipped fp32 graph with its Reshape target changed so every run fails (784 values are no 1×28×29). */
    static byte[] failingGraph() throws Exception {
        byte[] good = DigitServiceTest.class.getClassLoader().getResourceAsStream(DigitVersions.BUNDLED
                + Variant.FP32.fileName()).readAllBytes();
        ai.onnx.proto.OnnxMl.ModelProto model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(good);
        ai.onnx.proto.OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals("shape")) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(-1).putLong(1).putLong(28).putLong(29);
                graph.setInitializer(i, graph.getInitializer(i).toBuilder()
                        .setRawData(com.google.protobuf.ByteString.copyFrom(b.array())));
            }
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    @Test
    void should_fall_back_from_a_failing_int8_to_fp32_and_from_a_failing_fp32_to_uncertain() throws Exception {
        DigitService service = service(0.5);
        service.start();
        DigitVersions versions = new DigitVersions(new ModelRegistry(dir, JSON), JSON);
        VersionMetadata metadata = versions.registry().metadata("v1").orElseThrow();
        byte[] fp32 = Files.readAllBytes(dir.resolve("v1").resolve(Variant.FP32.fileName()));
        Metrics none = Metrics.of(List.of("0"), List.of("0"));
        String int8Fails = versions.save(metadata, Map.of(Variant.FP32, fp32, Variant.INT8, failingGraph()),
                Map.of(Variant.FP32, none, Variant.INT8, none));
        String allFail = versions.save(metadata, Map.of(Variant.FP32, failingGraph(), Variant.INT8, failingGraph()),
                Map.of(Variant.FP32, none, Variant.INT8, none));
        List<DigitImage> one = List.of(heldOut.get(500).input());

        DigitService.Answers byFp32 = service.recognise(one, int8Fails, "int8");
        assertThat(byFp32.variant()).isEqualTo(Variant.FP32);
        assertThat(byFp32.fallback()).isEqualTo("int8 failed; answered by fp32");
        assertThat(byFp32.degraded()).isFalse();
        assertThat(byFp32.answers().getFirst().probabilities()).hasSize(10);

        DigitService.Answers lacking = service.recognise(one, int8Fails, "fp16");
        assertThat(lacking.variant()).isEqualTo(Variant.FP32);
        assertThat(lacking.fallback()).contains("has no fp16 variant");

        DigitService.Answers uncertain = service.recognise(one, allFail, null);
        assertThat(uncertain.degraded()).isTrue();
        assertThat(uncertain.fallback()).isEqualTo("int8 failed; answered by fp32, which failed too; answered uncertain");
        assertThat(uncertain.answers().getFirst().uncertain()).isTrue();
        assertThat(uncertain.answers().getFirst().bestGuess()).isNull();
    }

    @Test
    void should_quantise_each_output_channel_to_within_half_a_step() {
        float[] values = {0.5f, -0.25f, 0.125f, 0f, -0.01f, 0.02f, 0.03f, -0.04f};
        CnnWeights.Tensor t = new CnnWeights.Tensor(new long[]{2, 4}, values);
        OnnxCnn.Quantised q = OnnxCnn.quantise(t);
        assertThat(q.scales()).containsExactly(0.5f / 127, 0.04f / 127);
        for (int i = 0; i < values.length; i++) {
            float scale = q.scales()[i / 4];
            assertThat(Math.abs(q.values()[i] * scale - values[i])).isLessThanOrEqualTo(scale / 2 + 1e-7f);
        }
        assertThat(q.values()[0]).isEqualTo((byte) 127);
        assertThat(q.values()[7]).isEqualTo((byte) -127);
    }
}
