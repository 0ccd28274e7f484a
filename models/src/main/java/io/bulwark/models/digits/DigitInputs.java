package io.bulwark.models.digits;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;

import java.util.Base64;
import java.util.Map;

/**
 * Turns a request into a {@link DigitImage}, or throws the {@link RequestRejected} naming the field at fault.
 * A JSON row holds exactly one of
 * <ul>
 *   <li>{@code image}: a PNG or JPEG, base64 (standard alphabet, padding optional);</li>
 *   <li>{@code pixels}: 28 rows of 28 numbers or 784 numbers, in the range {@code pixel_range} declares:
 *       {@code "0-255"} (the default) or {@code "0-1"}.</li>
 * </ul>
 * A raw PNG or JPEG body goes through {@link #image}. Both end in the one {@link MnistPreprocessor}.
 */
final class DigitInputs {

    static final String IMAGE = "image";
    static final String PIXELS = "pixels";
    static final String PIXEL_RANGE = "pixel_range";
    static final String BODY = "body";

    private DigitInputs() {
    }

    static DigitImage row(Map<String, ?> row, ImageLimits limits) {
        Object image = row.get(IMAGE);
        Object pixels = row.get(PIXELS);
        if (isPresent(image) && isPresent(pixels)) {
            throw new RequestRejected("ambiguous_input", PIXELS, "give \"image\" or \"pixels\", not both");
        }
        if (isPresent(image)) {
            return image(base64(image, limits), IMAGE, limits);
        }
        if (isPresent(pixels)) {
            return pixels(pixels, range(row.get(PIXEL_RANGE)));
        }
        throw new RequestRejected("missing_field", IMAGE,
                "give \"image\" (a base64 PNG or JPEG) or \"pixels\" (28×28 or 784 numbers)");
    }

    /** Decodes, checks and centres an uploaded PNG or JPEG that came in {@code field}. */
    static DigitImage image(byte[] bytes, String field, ImageLimits limits) {
        ImageDecoder.Grey grey = ImageDecoder.decode(bytes, field, limits);
        return centre(grey.levels(), grey.width(), grey.height(), field);
    }

    private static DigitImage centre(float[] levels, int width, int height, String field) {
        try {
            return MnistPreprocessor.fromInk(levels, width, height);
        } catch (MnistPreprocessor.Blank e) {
            throw new RequestRejected("blank_image", field, e.getMessage());
        }
    }

    private static boolean isPresent(Object value) {
        return value != null && !(value instanceof JsonNode n && n.isNull());
    }

    private static byte[] base64(Object value, ImageLimits limits) {
        if (!(value instanceof JsonNode n) || !n.isString()) {
            throw new RequestRejected("invalid_type", IMAGE, "\"image\" must be a base64 string of a PNG or JPEG");
        }
        String text = n.stringValue();
        // base64 is 4/3 of the bytes: refuse before allocating what the cap would refuse anyway.
        if (text.length() > (limits.maxBytes() / 3L + 1) * 4 + 4) {
            throw new RequestRejected(413, "image_too_large", IMAGE, "the image has more than " + limits.maxBytes()
                    + " bytes; at most " + limits.maxBytes() + " are accepted");
        }
        try {
            return Base64.getMimeDecoder().decode(strictBase64(text));
        } catch (IllegalArgumentException e) {
            throw new RequestRejected("invalid_base64", IMAGE, "\"image\" is not valid base64: " + e.getMessage());
        }
    }

    /** The MIME decoder skips foreign characters silently; refuse them instead (line breaks are allowed). */
    private static String strictBase64(String text) {
        String stripped = text.strip();
        if (stripped.startsWith("data:")) {
            int comma = stripped.indexOf(',');
            stripped = comma < 0 ? "" : stripped.substring(comma + 1);
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=' || c == '\n' || c == '\r';
            if (!ok) {
                throw new IllegalArgumentException("character '" + c + "' at " + i);
            }
        }
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        return stripped;
    }

    private static float range(Object value) {
        if (!isPresent(value)) {
            return 255f;
        }
        String text = value instanceof JsonNode n ? (n.isString() ? n.stringValue() : n.toString()) : value.toString();
        return switch (text.strip()) {
            case "0-255" -> 255f;
            case "0-1" -> 1f;
            default -> throw new RequestRejected("invalid_value", PIXEL_RANGE,
                    "\"pixel_range\" must be \"0-255\" or \"0-1\", not '" + clip(text) + "'");
        };
    }

    private static DigitImage pixels(Object value, float max) {
        if (!(value instanceof JsonNode n) || !n.isArray()) {
            throw new RequestRejected("invalid_type", PIXELS, "\"pixels\" must be an array of 28 rows of 28 numbers,"
                    + " or of 784 numbers");
        }
        float[] levels = new float[DigitImage.PIXELS];
        if (n.size() == DigitImage.SIDE && n.get(0).isArray()) {
            for (int y = 0; y < DigitImage.SIDE; y++) {
                JsonNode row = n.get(y);
                if (!row.isArray() || row.size() != DigitImage.SIDE) {
                    throw new RequestRejected("invalid_shape", PIXELS + "[" + y + "]", "row " + y
                            + " must be an array of 28 numbers; it has " + (row.isArray() ? row.size() + " values"
                            : "a " + row.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
                }
                for (int x = 0; x < DigitImage.SIDE; x++) {
                    levels[y * DigitImage.SIDE + x] = level(row.get(x), max, PIXELS + "[" + y + "][" + x + "]");
                }
            }
        } else if (n.size() == DigitImage.PIXELS) {
            for (int i = 0; i < DigitImage.PIXELS; i++) {
                levels[i] = level(n.get(i), max, PIXELS + "[" + i + "]");
            }
        } else {
            throw new RequestRejected("invalid_shape", PIXELS, "\"pixels\" must hold 28 rows of 28 numbers or 784"
                    + " numbers; it holds " + n.size() + " values");
        }
        return centre(levels, DigitImage.SIDE, DigitImage.SIDE, PIXELS);
    }

    private static float level(JsonNode v, float max, String field) {
        if (!v.isNumber()) {
            throw new RequestRejected("invalid_type", field, field + " must be a number, not " + clip(v.toString()));
        }
        double d = v.doubleValue();
        if (!(d >= 0 && d <= max)) {
            throw new RequestRejected("out_of_range", field, field + " must be in [0, " + (int) max + "] (pixel_range "
                    + (max == 1f ? "\"0-1\"" : "\"0-255\"") + "), not " + clip(v.toString()));
        }
        return (float) (d / max);
    }

    private static String clip(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
