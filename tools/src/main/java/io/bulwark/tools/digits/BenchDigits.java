package io.bulwark.tools.digits;

import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitRecogniser;
import io.bulwark.models.digits.DigitVersions;
import io.bulwark.models.digits.Variant;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metrics;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures every variant of a digit version on the 2,000 held-out digits: accuracy, file size, latency of one
 * image and of a batch of 64 (p50, p99, one ONNX Runtime thread, after a warm-up), and the resident memory the
 * process gains when the variant's session is created and has run the 2,000 digits in batches of 64. Prints a
 * Markdown table.
 *
 * <p>Usage: {@code BenchDigits [REGISTRY_DIR [VERSION [VARIANT]]]}; without a registry the shipped version is
 * installed into a temporary one. Without a variant all are measured one after another in one JVM, each in its own
 * session (then the memory of the later ones is understated: the allocator reuses what the earlier ones freed).
 */
public final class BenchDigits {

    static final int WARMUP = 300;
    static final int SINGLE_ROUNDS = 3;
    static final int BATCH = 64;
    static final int BATCH_ROUNDS = 10;

    private BenchDigits() {
    }

    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("digits-bench");
        JsonMapper json = JsonMapper.builder().build();
        DigitVersions versions = new DigitVersions(new ModelRegistry(root, json), json);
        String promoted = versions.ensureInitialVersion();
        String version = args.length > 1 ? args[1] : promoted;
        List<Labelled<DigitImage>> heldOut = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .test();
        List<DigitImage> images = heldOut.stream().map(Labelled::input).toList();
        List<String> actual = heldOut.stream().map(Labelled::label).toList();
        System.out.printf(Locale.ROOT, "digit version %s, %d held-out digits, %d cores, Java %s%n%n", version,
                images.size(), Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("| variant | held-out accuracy | macro-F1 | file | single p50 | single p99 | batch-64 p50 "
                + "| batch-64 p99 | per image in batch | RSS gained by the session |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        // Checks every variant against its registered SHA-256 (and starts ONNX Runtime, whose own memory is not a
        // variant's); each is then measured alone, in its own session.
        versions.load(version).close();
        List<Variant> variants = args.length > 2 ? List.of(Variant.parse(args[2], "VARIANT")) : List.of(Variant.values());
        for (Variant v : variants) {
            byte[] graph = Files.readAllBytes(root.resolve(version).resolve(v.fileName()));
            long before = rssKb();
            DigitRecogniser loaded = DigitRecogniser.load(version, java.util.Map.of(v, graph));
            try (DigitRecogniser rec = loaded) {
                List<String> predicted = new ArrayList<>();
                for (int from = 0; from < images.size(); from += BATCH) {
                    for (float[] row : rec.probabilities(images.subList(from, Math.min(images.size(), from + BATCH)),
                            v)) {
                        predicted.add(Integer.toString(DigitRecogniser.argmax(row)));
                    }
                }
                // after a first pass in batches of 64, so ONNX Runtime's arena for serving-size batches counts too
                long rss = rssKb() - before;
                Metrics m = Metrics.of(actual, predicted);
                for (int i = 0; i < WARMUP; i++) {
                    rec.probabilities(List.of(images.get(i % images.size())), v);
                }
                long[] single = new long[images.size() * SINGLE_ROUNDS];
                for (int i = 0; i < single.length; i++) {
                    long t = System.nanoTime();
                    rec.probabilities(List.of(images.get(i % images.size())), v);
                    single[i] = System.nanoTime() - t;
                }
                int batches = images.size() / BATCH;
                long[] batch = new long[batches * BATCH_ROUNDS];
                for (int i = 0; i < batch.length; i++) {
                    int from = (i % batches) * BATCH;
                    long t = System.nanoTime();
                    rec.probabilities(images.subList(from, from + BATCH), v);
                    batch[i] = System.nanoTime() - t;
                }
                System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %,d B | %.3f ms | %.3f ms | %.2f ms | %.2f ms "
                                + "| %.3f ms | %,d KiB |%n", v.wire(), m.accuracy(), m.macroF1(), graph.length,
                        ms(percentile(single, 50)), ms(percentile(single, 99)), ms(percentile(batch, 50)),
                        ms(percentile(batch, 99)), ms(percentile(batch, 50)) / BATCH, rss);
            }
        }
    }

    static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The process's resident set, from /proc (Linux), in KiB; 0 elsewhere. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
