package io.bulwark.models.data;

import io.bulwark.models.Island;
import io.bulwark.models.LabelledPenguin;
import io.bulwark.models.Penguin;
import io.bulwark.models.Sex;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The Palmer penguins data as bundled ({@code data/penguins/penguins.json}, from {@code vega-datasets@3.2.1}),
 * cleaned: rows missing any measurement are dropped, sex {@code "."} or {@code null} becomes
 * {@link Sex#UNKNOWN}.
 *
 * @param rows      the clean rows, in file order
 * @param sha256    hash of the file's bytes, for provenance
 * @param source    where the data came from
 * @param rawRows   rows in the file
 * @param dropped   rows dropped for missing measurements
 */
public record PenguinData(List<LabelledPenguin> rows, String sha256, String source, int rawRows, int dropped) {

    /** The bundled file on the class path. */
    public static final String RESOURCE = "data/penguins/penguins.json";

    public PenguinData {
        rows = List.copyOf(rows);
    }

    /** Loads and cleans the bundled data. */
    public static PenguinData bundled() {
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
    public static PenguinData parse(byte[] bytes, String source) {
        JsonNode array = JsonMapper.builder().build().readTree(bytes);
        List<LabelledPenguin> rows = new ArrayList<>();
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
            rows.add(new LabelledPenguin(new Penguin(island, bl.doubleValue(), bd.doubleValue(), fl.doubleValue(),
                    bm.doubleValue(), sex), r.path("Species").asString()));
        }
        return new PenguinData(rows, sha256(bytes), source, raw, dropped);
    }

    private static boolean isNumber(JsonNode n) {
        return n != null && n.isNumber();
    }

    /** A training part and a held-out part. */
    public record Split(List<LabelledPenguin> train, List<LabelledPenguin> test, long seed, double testFraction) {
    }

    /**
     * Splits the rows, stratified by species (each species shuffled with {@code seed}, the first
     * {@code round(testFraction × n)} held out): the same seed always gives the same split.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1): " + testFraction);
        }
        Map<String, List<LabelledPenguin>> bySpecies = new TreeMap<>();
        rows.forEach(r -> bySpecies.computeIfAbsent(r.species(), k -> new ArrayList<>()).add(r));
        Random random = new Random(seed);
        List<LabelledPenguin> train = new ArrayList<>();
        List<LabelledPenguin> test = new ArrayList<>();
        for (List<LabelledPenguin> group : bySpecies.values()) {
            java.util.Collections.shuffle(group, random);
            int held = (int) Math.round(testFraction * group.size());
            test.addAll(group.subList(0, held));
            train.addAll(group.subList(held, group.size()));
        }
        return new Split(List.copyOf(train), List.copyOf(test), seed, testFraction);
    }

    /** Returns the count of rows per species. */
    public static Map<String, Integer> countBySpecies(List<LabelledPenguin> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(r -> counts.merge(r.species(), 1, Integer::sum));
        return counts;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
