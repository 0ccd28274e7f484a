package io.bulwark.models.inference;

import io.bulwark.models.InputField;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The tensor datatypes of the Open Inference Protocol, with the JSON each element must be: BYTES a string, BOOL a
 * boolean, the integers whole numbers in their range, the floats any number.
 */
public enum Datatype {
    BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES;

    /** Returns the datatype of a protocol name (case as the protocol writes it), if it is one. */
    public static Optional<Datatype> of(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }

    /** Returns the datatype a field is published with: BYTES for text, FP32 for numbers. */
    public static Datatype published(InputField.Kind kind) {
        return kind == InputField.Kind.TEXT ? BYTES : FP32;
    }

    /** True when a value of {@code kind} may come in a tensor of this datatype. */
    boolean carries(InputField.Kind kind) {
        return kind == InputField.Kind.TEXT ? this == BYTES : this != BYTES && this != BOOL;
    }

    /** Returns why {@code element} is not a value of this datatype, or null when it is. */
    String refuse(JsonNode element) {
        return switch (this) {
            case BYTES -> element.isString() ? null : "is " + kind(element) + ", not a string";
            case BOOL -> element.isBoolean() ? null : "is " + kind(element) + ", not true or false";
            case FP16, FP32, FP64 -> element.isNumber() ? null : "is " + kind(element) + ", not a number";
            default -> integer(element);
        };
    }

    private String integer(JsonNode e) {
        if (!e.isNumber()) {
            return "is " + kind(e) + ", not a whole number";
        }
        BigInteger value;
        try {
            value = e.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException notWhole) {
            return "is " + e + ", not a whole number";
        }
        BigInteger min = switch (this) {
            case INT8 -> BigInteger.valueOf(Byte.MIN_VALUE);
            case INT16 -> BigInteger.valueOf(Short.MIN_VALUE);
            case INT32 -> BigInteger.valueOf(Integer.MIN_VALUE);
            case INT64 -> BigInteger.valueOf(Long.MIN_VALUE);
            default -> BigInteger.ZERO;
        };
        BigInteger max = switch (this) {
            case INT8 -> BigInteger.valueOf(Byte.MAX_VALUE);
            case INT16 -> BigInteger.valueOf(Short.MAX_VALUE);
            case INT32 -> BigInteger.valueOf(Integer.MAX_VALUE);
            case INT64 -> BigInteger.valueOf(Long.MAX_VALUE);
            case UINT8 -> BigInteger.valueOf(255);
            case UINT16 -> BigInteger.valueOf(65_535);
            case UINT32 -> BigInteger.valueOf(4_294_967_295L);
            default -> BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        };
        return value.compareTo(min) < 0 || value.compareTo(max) > 0
                ? "is " + value + ", outside " + name() + "'s range " + min + ".." + max : null;
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isString()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return n.isArray() ? "an array" : "an object";
    }
}
