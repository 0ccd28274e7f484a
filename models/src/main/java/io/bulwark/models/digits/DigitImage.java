package io.bulwark.models.digits;

import io.bulwark.models.ModelInput;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One handwritten digit as the model sees it: 28×28 ink levels in [0, 1] (0 background, 1 full ink), already
 * {@link MnistPreprocessor centred as MNIST's own digits are}, row by row.
 */
public final class DigitImage implements ModelInput {

    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    private final float[] ink;
    private final String canonical;

    private DigitImage(float[] ink) {
        this.ink = ink;
        this.canonical = hash(ink);
    }

    /**
     * Returns the image of 784 ink levels in [0, 1], copied.
     *
     * @throws IllegalArgumentException on another length or a value outside [0, 1]
     */
    public static DigitImage of(float[] ink) {
        if (ink.length != PIXELS) {
            throw new IllegalArgumentException("a digit image has " + PIXELS + " pixels, not " + ink.length);
        }
        for (float v : ink) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("ink levels are in [0, 1]: " + v);
            }
        }
        return new DigitImage(ink.clone());
    }

    /** Returns a copy of the 784 ink levels, row by row. */
    public float[] ink() {
        return ink.clone();
    }

    /** Copies the ink levels into {@code target} at {@code offset} (a batch tensor's row). */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(ink, 0, target, offset, PIXELS);
    }

    /** The fraction of pixels with ink above one half: a cheap drift figure. */
    public double inkRatio() {
        int n = 0;
        for (float v : ink) {
            if (v > 0.5f) {
                n++;
            }
        }
        return n / (double) PIXELS;
    }

    /** The SHA-256 of the levels rounded to 8 bits: equal images give equal keys. */
    @Override
    public String canonical() {
        return canonical;
    }

    @Override
    public String json() {
        return String.format(Locale.ROOT, "{\"pixels_sha256\":\"%s\",\"ink_ratio\":%.4f}", canonical, inkRatio());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigitImage d && d.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return "DigitImage" + json();
    }

    private static String hash(float[] ink) {
        byte[] bytes = new byte[ink.length];
        for (int i = 0; i < ink.length; i++) {
            bytes[i] = (byte) Math.round(ink[i] * 255);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
