package io.bulwark.tools.digits;

import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitRecogniser;
import io.bulwark.models.digits.DigitService;
import io.bulwark.models.digits.Variant;
import io.bulwark.models.train.Labelled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints how confident digit versions are on the 2,000 held-out digits: the median and 10th percentile of the top
 * probability, how many answers fall below the confidence threshold (answered {@code uncertain} by {@code /digits})
 * and the accuracy of the answers above it, per variant.
 *
 * <p>Usage: {@code DigitConfidence [--threshold=0.6] VERSION_DIR...} (a directory holding a version's
 * {@code digits-<variant>.onnx} files, e.g. {@code models/src/main/resources/digits/v1}).
 */
public final class DigitConfidence {

    private DigitConfidence() {
    }

    public static void main(String[] args) throws IOException {
        double threshold = DigitService.Settings.DEFAULT_CONFIDENCE_THRESHOLD;
        List<Path> dirs = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--threshold=")) {
                threshold = Double.parseDouble(a.substring("--threshold=".length()));
            } else {
                dirs.add(Path.of(a));
            }
        }
        List<Labelled<DigitImage>> heldOut = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        List<DigitImage> images = heldOut.stream().map(Labelled::input).toList();
        System.out.printf(Locale.ROOT, "| version | variant | confidence median | p10 | below %.2f (uncertain) "
                + "| accuracy above it |%n|---|---|---|---|---|---|%n", threshold);
        for (Path dir : dirs) {
            Map<Variant, byte[]> graphs = new EnumMap<>(Variant.class);
            for (Variant v : Variant.values()) {
                Path file = dir.resolve(v.fileName());
                if (Files.exists(file)) {
                    graphs.put(v, Files.readAllBytes(file));
                }
            }
            try (DigitRecogniser recogniser = DigitRecogniser.load(dir.toString(), graphs)) {
                for (Variant v : graphs.keySet()) {
                    float[][] p = recogniser.probabilities(images, v);
                    List<Float> confidences = new ArrayList<>();
                    int below = 0, above = 0, rightAbove = 0;
                    for (int i = 0; i < p.length; i++) {
                        int digit = DigitRecogniser.argmax(p[i]);
                        confidences.add(p[i][digit]);
                        if (p[i][digit] < threshold) {
                            below++;
                        } else {
                            above++;
                            rightAbove += Integer.toString(digit).equals(heldOut.get(i).label()) ? 1 : 0;
                        }
                    }
                    confidences.sort(null);
                    System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %d of %d | %.4f |%n", dir, v.wire(),
                            confidences.get(confidences.size() / 2), confidences.get(confidences.size() / 10), below,
                            p.length, (double) rightAbove / above);
                }
            }
        }
    }
}
