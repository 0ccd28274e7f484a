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
    private final InputShape input;

    private DigitImage(float[] ink, InputShape input) {
        this.ink = ink;
        this.canonical = hash(ink);
        this.input = input;
    }

    /**
     * What the input looked like before it was cropped and centred (all fractions of its own frame, so a 28×28 array
     * and an 84×84 PNG of the same digit agree): the figures drift watches, since the centred image has lost them.
     *
     * @param inkRatio      the share of pixels with ink above one half (after inversion and stretching): thick or
     *                      thin strokes, a large or small digit in its frame
     * @param meanIntensity the mean grey level as sent, 0 black … 1 white (white-on-black MNIST about 0.13; dark ink
     *                      on paper near 0.9)
     * @param boxWidth      the ink's bounding box width / the frame's width
     * @param boxHeight     the ink's bounding box height / the frame's height
     * @param boxCentreX    the box's centre / the frame's width (0.5: centred)
     * @param boxCentreY    the box's centre / the frame's height
     */
    public record InputShape(double inkRatio, double meanIntensity, double boxWidth, double boxHeight,
                             double boxCentreX, double boxCentreY) {

        /** Returns the figures by the names drift reports them under. */
        public java.util.Map<String, Object> features() {
            java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("ink_ratio", inkRatio);
            f.put("mean_intensity", meanIntensity);
            f.put("box_width", boxWidth);
            f.put("box_height", boxHeight);
            f.put("box_centre_x", boxCentreX);
            f.put("box_centre_y", boxCentreY);
            return f;
        }
    }

    /**
     * Returns the image of 784 ink levels in [0, 1], copied.
     *
     * @throws IllegalArgumentException on another length or a value outside [0, 1]
     */
    public static DigitImage of(float[] ink) {
        return of(ink, null);
    }

    /** As {@link #of(float[])}, remembering what the input looked like before centring (null: unknown). */
    static DigitImage of(float[] ink, InputShape input) {
        if (ink.length != PIXELS) {
            throw new IllegalArgumentException("a digit image has " + PIXELS + " pixels, not " + ink.length);
        }
        for (float v : ink) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("ink levels are in [0, 1]: " + v);
            }
        }
        return new DigitImage(ink.clone(), input);
    }

    /** Returns what the input looked like before centring; for an image built from centred levels, those levels'. */
    public InputShape input() {
        if (input != null) {
            return input;
        }
        try {
            return MnistPreprocessor.fromInk(ink, SIDE, SIDE).input;
        } catch (MnistPreprocessor.Blank e) {
            return new InputShape(0, 0, 0, 0, 0.5, 0.5);
        }
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
