package io.bulwark.models.penguins;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Split;
import io.bulwark.models.train.TrainingData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The Palmer penguins data as bundled ({@code data/penguins/penguins.json}, from {@code vega-datasets@3.2.1}),
 * cleaned: rows missing any measurement are dropped, sex {@code "."} or {@code null} becomes
 * {@link Sex#UNKNOWN}. Each row is labelled with its species.
 *
 * @param rows      the clean rows, in file order
 * @param sha256    hash of the file's bytes, for provenance
 * @param source    where the data came from
 * @param rawRows   rows in the file
 * @param dropped   rows dropped for missing measurements
 */
record PenguinData(List<Labelled<Penguin>> rows, String sha256, String source, int rawRows, int dropped)
        implements TrainingData<Penguin> {

    /** The bundled file on the class path. */
    static final String RESOURCE = "data/penguins/penguins.json";

    PenguinData {
        rows = List.copyOf(rows);
    }

    /** Loads and cleans the bundled data. */
    static PenguinData bundled() {
        try (InputStream in = PenguinData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(in.readAllBytes(), "classpath:" + RESOURCE + " (npm vega-datasets@3.2.1)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and cleans data in the bundled file's format. */
    static PenguinData parse(byte[] bytes, String source) {
        JsonNode array = JsonMapper.builder().build().readTree(bytes);
        List<Labelled<Penguin>> rows = new ArrayList<>();
        int raw = 0;
        int dropped = 0;
        for (JsonNode r : array) {
            raw++;
            JsonNode bl = r.get("Beak Length (mm)"), bd = r.get("Beak Depth (mm)"),
                    fl = r.get("Flipper Length (mm)"), bm = r.get("Body Mass (g)");
            if (!isNumber(bl) || !isNumber(bd) || !isNumber(fl) || !isNumber(bm)) {
                dropped++;
                continue;
            }
            Island island = Island.parse(r.path("Island").asString(""))
                    .orElseThrow(() -> new IllegalArgumentException("unknown island in " + r));
            Sex sex = r.path("Sex").isString() ? Sex.parse(r.get("Sex").stringValue()).orElse(Sex.UNKNOWN) : Sex.UNKNOWN;
            rows.add(new Labelled<>(new Penguin(island, bl.doubleValue(), bd.doubleValue(), fl.doubleValue(),
                    bm.doubleValue(), sex), r.path("Species").asString()));
        }
        return new PenguinData(rows, sha256(bytes), source, raw, dropped);
    }

    private static boolean isNumber(JsonNode n) {
        return n != null && n.isNumber();
    }

    /** The data a version saw, as {@code metadata.json} has recorded it since v1: counts per species, rows dropped
     * in cleaning, and each measurement's range. */
    @JsonPropertyOrder({"raw_rows", "dropped_rows", "train_rows", "test_rows", "train_species", "test_species",
            "features"})
    record Summary(@JsonProperty("raw_rows") int rawRows, @JsonProperty("dropped_rows") int droppedRows,
                   @JsonProperty("train_rows") int trainRows, @JsonProperty("test_rows") int testRows,
                   @JsonProperty("train_species") Map<String, Integer> trainSpecies,
                   @JsonProperty("test_species") Map<String, Integer> testSpecies,
                   Map<String, FeatureSummary> features) {
    }

    /** A measurement's range and mean over the training rows. */
    record FeatureSummary(double min, double max, double mean) {
    }

    @Override
    public Summary summary(Split<Penguin> split) {
        Map<String, FeatureSummary> features = new LinkedHashMap<>();
        features.put(PenguinFeatures.BILL_LENGTH, feature(split.train(), Penguin::billLengthMm));
        features.put(PenguinFeatures.BILL_DEPTH, feature(split.train(), Penguin::billDepthMm));
        features.put(PenguinFeatures.FLIPPER_LENGTH, feature(split.train(), Penguin::flipperLengthMm));
        features.put(PenguinFeatures.BODY_MASS, feature(split.train(), Penguin::bodyMassG));
        return new Summary(rawRows, dropped, split.train().size(), split.test().size(),
                Split.countByLabel(split.train()), Split.countByLabel(split.test()), features);
    }

    private static FeatureSummary feature(List<Labelled<Penguin>> rows, ToDoubleFunction<Penguin> f) {
        var stats = rows.stream().mapToDouble(r -> f.applyAsDouble(r.input())).summaryStatistics();
        return new FeatureSummary(stats.getMin(), stats.getMax(), Math.round(stats.getAverage() * 1000) / 1000.0);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
