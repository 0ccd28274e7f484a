package io.bulwark.models.digits;

import io.bulwark.models.drift.DriftReport;
import io.bulwark.models.registry.ModelRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift on image inputs: 200 served digits against the 8,000 training digits, feature by feature (ink ratio, mean
 * intensity, bounding-box size and position of the input as sent). Held-out digits do not drift; the same digits
 * thickened, or sent off-centre in a larger frame, do.
 */
class DigitDriftTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** 200 held-out digits (every 10th) as the bundled file has them (white on black, 28×28): as a client sends them. */
    static List<float[]> heldOut;

    @BeforeAll
    static void data() throws Exception {
        DigitData data = DigitData.bundled();
        byte[] bytes;
        try (var in = new java.util.zip.GZIPInputStream(DigitDriftTest.class.getClassLoader()
                .getResourceAsStream(DigitData.RESOURCE))) {
            bytes = in.readAllBytes();
        }
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < data.rows().size(); i++) {
            index.putIfAbsent(data.rows().get(i).input().canonical(), i);
        }
        List<io.bulwark.models.train.Labelled<DigitImage>> test = data.split(DigitData.TEST_FRACTION,
                DigitData.SPLIT_SEED).test();
        // Every 10th: the held-out rows are grouped by digit, and a window of zeros alone would drift from the mix.
        heldOut = java.util.stream.IntStream.range(0, 200).mapToObj(k -> test.get(k * 10))
                .map(r -> {
                    int at = index.get(r.input().canonical()) * (1 + DigitImage.PIXELS) + 1;
                    float[] grey = new float[DigitImage.PIXELS];
                    for (int i = 0; i < grey.length; i++) {
                        grey[i] = (bytes[at + i] & 0xff) / 255f;
                    }
                    return grey;
                }).toList();
    }

    static DriftReport serve(Path dir, UnaryOperator<float[]> sent, int side) {
        return serve(dir, sent, side, true);
    }

    /** @param start whether {@link DigitService#start()} runs first; else only {@link DigitService#install()}, as the app does */
    static DriftReport serve(Path dir, UnaryOperator<float[]> sent, int side, boolean start) {
        DigitService service = new DigitService(new DigitVersions(new ModelRegistry(dir, JSON), JSON),
                DigitModelType.bundled(ImageLimits.defaults()), DigitService.Settings.defaults());
        if (start) {
            service.start();
        } else {
            service.install();
        }
        List<DigitImage> images = heldOut.stream()
                .map(raw -> MnistPreprocessor.fromInk(sent.apply(raw), side, side)).toList();
        service.recognise(images, null, null);
        return service.drift();
    }

    @Test
    void should_profile_the_8000_training_digits_from_the_bundled_file() {
        List<DigitImage.InputShape> shapes = DigitData.trainingShapes();

        assertThat(shapes).hasSize(8000);
        // MNIST's digits fill a 20-pixel box centred in 28: height 20/28 for nearly all of them
        assertThat(shapes.stream().filter(s -> s.boxHeight() == 20 / 28.0).count()).isGreaterThan(7000);
        assertThat(shapes.stream().mapToDouble(DigitImage.InputShape::meanIntensity).average().orElseThrow())
                .isBetween(0.1, 0.2);
    }

    @Test
    void should_find_no_drift_in_held_out_digits(@TempDir Path dir) {
        DriftReport r = serve(dir, UnaryOperator.identity(), DigitImage.SIDE);

        assertThat(r.window().size()).isEqualTo(200);
        assertThat(r.verdict()).as(r.features().toString()).isEqualTo(DriftReport.NO_DRIFT);
        assertThat(r.features()).extracting(DriftReport.FeatureDrift::feature).containsExactly("ink_ratio",
                "mean_intensity", "box_width", "box_height", "box_centre_x", "box_centre_y");
    }

    @Test
    void should_find_drift_in_the_ink_ratio_when_every_digit_is_thickened(@TempDir Path dir) {
        DriftReport r = serve(dir, DigitDriftTest::thicken, DigitImage.SIDE);

        assertThat(r.verdict()).isEqualTo(DriftReport.DRIFT);
        assertThat(r.drifted()).contains("ink_ratio", "mean_intensity");
    }

    @Test
    void should_find_drift_in_the_box_position_and_size_when_digits_come_off_centre_in_a_larger_frame(
            @TempDir Path dir) {
        DriftReport r = serve(dir, DigitDriftTest::topLeftOf56, 56);

        assertThat(r.verdict()).isEqualTo(DriftReport.DRIFT);
        assertThat(r.drifted()).contains("box_centre_x", "box_centre_y", "box_width", "box_height");
    }

    @Test
    void should_judge_drift_against_the_training_digits_when_the_model_was_only_installed_and_loads_on_first_use(
            @TempDir Path dir) {
        DriftReport r = serve(dir, DigitDriftTest::thicken, DigitImage.SIDE, false);

        assertThat(r.window().size()).isEqualTo(200);
        assertThat(r.verdict()).as("the training profile is computed on first need").isEqualTo(DriftReport.DRIFT);
        assertThat(r.drifted()).contains("ink_ratio", "mean_intensity");
    }

    /** A 3×3 maximum filter: every stroke about two pixels thicker. */
    static float[] thicken(float[] ink) {
        int n = DigitImage.SIDE;
        float[] out = new float[ink.length];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float m = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy, xx = x + dx;
                        if (yy >= 0 && yy < n && xx >= 0 && xx < n) {
                            m = Math.max(m, ink[yy * n + xx]);
                        }
                    }
                }
                out[y * n + x] = m;
            }
        }
        return out;
    }

    /** The 28×28 digit in the top-left corner of a 56×56 frame. */
    static float[] topLeftOf56(float[] ink) {
        float[] out = new float[56 * 56];
        for (int y = 0; y < DigitImage.SIDE; y++) {
            System.arraycopy(ink, y * DigitImage.SIDE, out, y * 56, DigitImage.SIDE);
        }
        return out;
    }
}
