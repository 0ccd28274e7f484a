package io.bulwark.models.digits;

import io.bulwark.resilience.failure.RequestRejected;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A precision the digit network's weights are stored in; every variant is one ONNX file of the version, computed
 * by ONNX Runtime in fp32 after its weights are widened ({@code Cast} for fp16, {@code DequantizeLinear} for
 * int8): smaller files and downloads, the same arithmetic once loaded.
 */
public enum Variant {
    /** The trained weights as they are. */
    FP32,
    /** Weights rounded to IEEE half precision. */
    FP16,
    /** Weights quantised symmetrically to 8-bit integers, one scale per output channel. */
    INT8;

    /** The header that picks a variant per request. */
    public static final String HEADER = "X-Model-Variant";

    /** The lower-case name on the wire and in file names, e.g. {@code int8}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The variant's file in a version directory, e.g. {@code digits-int8.onnx}. */
    public String fileName() {
        return "digits-" + wire() + ".onnx";
    }

    /** Parses a wire name (any case); throws the {@link RequestRejected} naming {@code field}. */
    public static Variant parse(String text, String field) {
        for (Variant v : values()) {
            if (v.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new RequestRejected("invalid_value", field, field + " must be one of " + Arrays.stream(values())
                .map(Variant::wire).collect(Collectors.joining(", ")) + ", not '"
                + (text.length() <= 20 ? text : text.substring(0, 20) + "…") + "'");
    }
}
