package io.bulwark.models.digits;

import io.bulwark.resilience.failure.RequestRejected;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Decodes an uploaded PNG or JPEG into grey levels, refusing before decoding what would cost too much: more bytes
 * than {@link ImageLimits#maxBytes()}, or a header declaring more pixels than {@link ImageLimits#maxPixels()} (a
 * small file can declare a 20000 × 20000 image: a decompression bomb). Every refusal is a
 * {@link RequestRejected} naming the field the image came in.
 */
final class ImageDecoder {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    private ImageDecoder() {
    }

    /** Grey levels row by row, 0 black … 1 white (transparent pixels count as white paper). */
    record Grey(float[] levels, int width, int height) {
    }

    static Grey decode(byte[] bytes, String field, ImageLimits limits) {
        if (bytes.length > limits.maxBytes()) {
            throw new RequestRejected(413, "image_too_large", field, "the image has " + bytes.length
                    + " bytes; at most " + limits.maxBytes() + " are accepted");
        }
        String format = startsWith(bytes, PNG) ? "png" : startsWith(bytes, JPEG) ? "jpeg" : null;
        if (format == null) {
            throw new RequestRejected(415, "unsupported_image", field,
                    "the image is neither a PNG nor a JPEG (by its first bytes)");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                // Reads the header only (PNG IHDR, JPEG SOF): nothing is allocated for the pixels yet.
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw invalid(field, format, "its header cannot be read");
            }
            if (width < 1 || height < 1) {
                throw new RequestRejected(400, "empty_image", field, "the image is " + width + "×" + height
                        + ": there is nothing to read");
            }
            if ((long) width * height > limits.maxPixels()) {
                throw new RequestRejected(413, "image_too_large", field, "the image declares " + width + "×" + height
                        + " pixels; at most " + limits.maxPixels() + " pixels are decoded");
            }
            BufferedImage image;
            try {
                ImageReadParam param = reader.getDefaultReadParam();
                image = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                throw invalid(field, format, "it is truncated or damaged");
            }
            return grey(image);
        } catch (IOException e) {
            throw invalid(field, format, "it cannot be read");
        } finally {
            reader.dispose();
        }
    }

    private static RequestRejected invalid(String field, String format, String why) {
        return new RequestRejected(400, "invalid_image", field, "the " + format.toUpperCase(java.util.Locale.ROOT)
                + " image cannot be decoded: " + why);
    }

    /** Luminance (ITU-R BT.601) composited over white by the alpha. */
    static Grey grey(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] levels = new float[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float a = (argb >>> 24) / 255f;
                float lum = (0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff))
                        / 255f;
                levels[y * w + x] = Math.clamp(a * lum + (1 - a), 0f, 1f);
            }
        }
        return new Grey(levels, w, h);
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
