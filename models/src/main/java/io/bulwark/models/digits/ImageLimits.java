package io.bulwark.models.digits;

/**
 * What an uploaded image may be, checked before it is decoded.
 *
 * @param maxBytes  the most bytes an encoded image may have (after base64 decoding)
 * @param maxPixels the most pixels its header may declare (width × height): the decompression-bomb guard
 */
public record ImageLimits(int maxBytes, long maxPixels) {

    /** 2 MiB: a phone photo of a digit, JPEG, fits several times over. */
    public static final int DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
    /** 4096 × 4096: 64 MiB of ARGB once decoded, the most one request may make the server allocate. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

    public ImageLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("bulwark.digits.max-image-bytes must be positive: " + maxBytes);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("bulwark.digits.max-image-pixels must be positive: " + maxPixels);
        }
    }

    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }
}
