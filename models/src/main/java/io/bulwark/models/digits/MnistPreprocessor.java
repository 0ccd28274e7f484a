package io.bulwark.models.digits;

import java.util.Arrays;

/**
 * The steps MNIST's own digits went through, applied to every image Bulwark trains on or serves (one code path):
 * <ol>
 *   <li>grey levels in [0, 1];</li>
 *   <li>inverted when the digit is dark on light (the border is brighter than one half), so ink is high;</li>
 *   <li>stretched so the background level (the border's median) is 0 and the strongest ink is 1, so grey paper,
 *       coloured ink and faint pencil look like MNIST's white-on-black;</li>
 *   <li>cropped to the bounding box of the ink (levels above {@value #INK});</li>
 *   <li>scaled by area averaging so the longer side is {@value #BOX} pixels, keeping the aspect ratio;</li>
 *   <li>placed in the 28×28 field so its centre of mass falls on the field's centre (14, 14), rounded to whole
 *       pixels and kept inside the field.</li>
 * </ol>
 * A blank image (ink and background less than {@value #MIN_CONTRAST} apart, or no level above {@value #INK} after
 * step 3) has nothing to centre: {@link Blank} is thrown.
 */
public final class MnistPreprocessor {

    /** The side of the box the ink is scaled into. */
    public static final int BOX = 20;
    /** Levels above this count as ink for the bounding box. */
    public static final float INK = 0.2f;
    /** Below this gap between the strongest ink and the background, the image is blank (noise is not stretched). */
    public static final float MIN_CONTRAST = 0.1f;

    private MnistPreprocessor() {
    }

    /** Thrown for an image with no ink. */
    public static final class Blank extends RuntimeException {
        Blank() {
            super("the image has no ink: nothing above " + INK + " once the background is taken off", null, false,
                    false);
        }
    }

    /**
     * Returns the digit in {@code levels} (row by row, {@code width × height}, each in [0, 1]: for an image its
     * luminance, 0 black … 1 white; for a pixel array its values), centred as MNIST's.
     *
     * @throws Blank when there is no ink
     */
    public static DigitImage fromInk(float[] levels, int width, int height) {
        Centred c = centred(levels, width, height);
        return DigitImage.of(c.ink(), c.input());
    }

    /** The six steps; see the class comment. */
    static float[] centre(float[] levels, int width, int height) {
        return centred(levels, width, height).ink();
    }

    /** The centred 28×28 levels, and what the input looked like before it was cropped and centred. */
    private record Centred(float[] ink, DigitImage.InputShape input) {
    }

    /** The input after steps 1–4 (inverted, stretched, its ink's bounding box found), before any resampling. */
    private record Inked(float[] ink, int left, int top, int w, int h, DigitImage.InputShape shape) {
    }

    /**
     * Returns the drift figures of an input (see {@link DigitImage.InputShape}) without centring it: steps 1–4 only,
     * a few operations a pixel, so the reference of thousands of training digits is cheap.
     *
     * @throws Blank when there is no ink
     */
    public static DigitImage.InputShape inputShape(float[] levels, int width, int height) {
        return inked(levels, width, height).shape();
    }

    private static Inked inked(float[] levels, int width, int height) {
        if (levels.length != width * height || width < 1 || height < 1) {
            throw new IllegalArgumentException(width + "×" + height + " does not match " + levels.length + " levels");
        }
        float[] border = border(levels, width, height);
        double mean = 0;
        for (float b : border) {
            mean += b;
        }
        boolean invert = mean / border.length > 0.5;
        float[] ink = new float[levels.length];
        for (int i = 0; i < ink.length; i++) {
            ink[i] = invert ? 1 - levels[i] : levels[i];
        }
        float background = median(border, invert);
        float strongest = 0;
        for (float v : ink) {
            strongest = Math.max(strongest, v);
        }
        float range = strongest - background;
        for (int i = 0; i < ink.length; i++) {
            ink[i] = range < MIN_CONTRAST ? 0 : Math.clamp((ink[i] - background) / range, 0f, 1f);
        }

        int top = height, bottom = -1, left = width, right = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > INK) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        if (bottom < 0) {
            throw new Blank();
        }
        int w = right - left + 1;
        int h = bottom - top + 1;
        return new Inked(ink, left, top, w, h, shape(levels, ink, width, height, left, top, w, h));
    }

    private static Centred centred(float[] levels, int width, int height) {
        Inked inked = inked(levels, width, height);
        float[] ink = inked.ink();
        int left = inked.left(), top = inked.top(), w = inked.w(), h = inked.h();
        DigitImage.InputShape input = inked.shape();
        double scale = BOX / (double) Math.max(w, h);
        int nw = Math.clamp(Math.round(w * scale), 1, BOX);
        int nh = Math.clamp(Math.round(h * scale), 1, BOX);
        float[] box = resample(ink, width, left, top, w, h, nw, nh);

        double mass = 0, cx = 0, cy = 0;
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                float v = box[y * nw + x];
                mass += v;
                cx += v * x;
                cy += v * y;
            }
        }
        int side = DigitImage.SIDE;
        int ox = (int) Math.clamp(Math.round(side / 2.0 - cx / mass), 0, side - nw);
        int oy = (int) Math.clamp(Math.round(side / 2.0 - cy / mass), 0, side - nh);
        float[] out = new float[side * side];
        for (int y = 0; y < nh; y++) {
            System.arraycopy(box, y * nw, out, (oy + y) * side + ox, nw);
        }
        return new Centred(out, input);
    }

    /** The drift figures of the input as it came, before cropping and centring take position and size away. */
    private static DigitImage.InputShape shape(float[] levels, float[] ink, int width, int height, int left, int top,
                                               int w, int h) {
        double grey = 0;
        int inked = 0;
        for (int i = 0; i < ink.length; i++) {
            grey += levels[i];
            if (ink[i] > 0.5f) {
                inked++;
            }
        }
        return new DigitImage.InputShape(inked / (double) ink.length, grey / levels.length, w / (double) width,
                h / (double) height, (left + w / 2.0) / width, (top + h / 2.0) / height);
    }

    /** The levels of the outermost rows and columns (the whole image when it is 2 pixels or less across). */
    private static float[] border(float[] levels, int width, int height) {
        if (width <= 2 || height <= 2) {
            return levels.clone();
        }
        float[] border = new float[2 * width + 2 * (height - 2)];
        int n = 0;
        for (int x = 0; x < width; x++) {
            border[n++] = levels[x];
            border[n++] = levels[(height - 1) * width + x];
        }
        for (int y = 1; y < height - 1; y++) {
            border[n++] = levels[y * width];
            border[n++] = levels[y * width + width - 1];
        }
        return border;
    }

    private static float median(float[] border, boolean inverted) {
        float[] sorted = border.clone();
        if (inverted) {
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = 1 - sorted[i];
            }
        }
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Scales the {@code w × h} region at ({@code left}, {@code top}) to {@code nw × nh} by area averaging: each
     * target pixel is the mean of the source area it covers, partly covered pixels weighted by their overlap.
     */
    private static float[] resample(float[] src, int stride, int left, int top, int w, int h, int nw, int nh) {
        double[][] wx = weights(w, nw);
        double[][] wy = weights(h, nh);
        float[] out = new float[nw * nh];
        for (int ty = 0; ty < nh; ty++) {
            for (int tx = 0; tx < nw; tx++) {
                double sum = 0, weight = 0;
                for (int sy = 0; sy < h; sy++) {
                    double fy = wy[ty][sy];
                    if (fy == 0) {
                        continue;
                    }
                    for (int sx = 0; sx < w; sx++) {
                        double f = fy * wx[tx][sx];
                        if (f != 0) {
                            sum += f * src[(top + sy) * stride + left + sx];
                            weight += f;
                        }
                    }
                }
                out[ty * nw + tx] = (float) Math.clamp(sum / weight, 0, 1);
            }
        }
        return out;
    }

    /** weights[t][s]: the overlap of target pixel t with source pixel s, in source pixels. */
    private static double[][] weights(int n, int target) {
        double step = n / (double) target;
        double[][] weights = new double[target][n];
        for (int t = 0; t < target; t++) {
            double from = t * step, to = (t + 1) * step;
            for (int s = (int) Math.floor(from); s < Math.min(n, Math.ceil(to)); s++) {
                weights[t][s] = Math.max(0, Math.min(to, s + 1) - Math.max(from, s));
            }
        }
        return weights;
    }
}
