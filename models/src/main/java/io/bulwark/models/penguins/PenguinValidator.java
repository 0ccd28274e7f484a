package io.bulwark.models.penguins;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks one row of input, whatever its format, and turns it into a {@link Penguin}, or throws the
 * {@link RequestRejected} that names the first field at fault.
 *
 * <p>A row maps field names to values: a {@link JsonNode} for JSON input (where numbers must be JSON
 * numbers), a {@link String} for CSV and XML (where numbers are parsed from text). Unknown fields are
 * ignored; {@code sex} is optional (the data itself has penguins of unknown sex).
 */
final class PenguinValidator {

    /** Accepted ranges, inclusive. Body mass as the seed asks; the others bracket the data (32–60, 13–22, 172–231) widely. */
    static final double MIN_BILL_LENGTH = 10, MAX_BILL_LENGTH = 100;
    static final double MIN_BILL_DEPTH = 5, MAX_BILL_DEPTH = 40;
    static final double MIN_FLIPPER_LENGTH = 100, MAX_FLIPPER_LENGTH = 300;
    static final double MIN_BODY_MASS = 1000, MAX_BODY_MASS = 10000;

    static final String ISLAND = "island";
    static final String SEX = "sex";

    private static final String ISLANDS = Arrays.stream(Island.values()).map(Island::wire)
            .collect(Collectors.joining(", "));

    private PenguinValidator() {
    }

    /** Returns the penguin the row describes, or throws {@link RequestRejected}. */
    static Penguin validate(Map<String, ?> row) {
        Island island = island(row);
        double billLength = number(row, PenguinFeatures.BILL_LENGTH, MIN_BILL_LENGTH, MAX_BILL_LENGTH, "mm");
        double billDepth = number(row, PenguinFeatures.BILL_DEPTH, MIN_BILL_DEPTH, MAX_BILL_DEPTH, "mm");
        double flipper = number(row, PenguinFeatures.FLIPPER_LENGTH, MIN_FLIPPER_LENGTH, MAX_FLIPPER_LENGTH, "mm");
        double mass = number(row, PenguinFeatures.BODY_MASS, MIN_BODY_MASS, MAX_BODY_MASS, "g");
        return new Penguin(island, billLength, billDepth, flipper, mass, sex(row));
    }

    private static Island island(Map<String, ?> row) {
        String text = text(row, ISLAND, true);
        return Island.parse(text).orElseThrow(() -> new RequestRejected("invalid_value", ISLAND,
                "\"island\" must be one of " + ISLANDS + " (any case), not '" + clip(text) + "'"));
    }

    private static Sex sex(Map<String, ?> row) {
        String text = text(row, SEX, false);
        if (text == null || text.isBlank()) {
            return Sex.UNKNOWN;
        }
        return Sex.parse(text).orElseThrow(() -> new RequestRejected("invalid_value", SEX,
                "\"sex\" must be male, female or unknown (any case), or be left out; not '" + clip(text) + "'"));
    }

    private static String text(Map<String, ?> row, String field, boolean required) {
        Object value = row.get(field);
        if (value == null || value instanceof JsonNode n && (n.isNull() || n.isMissingNode())) {
            if (required) {
                throw missing(field, value);
            }
            return null;
        }
        if (value instanceof JsonNode n) {
            if (!n.isString()) {
                throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a string, not " + kind(n));
            }
            value = n.stringValue();
        }
        String text = value.toString();
        if (required && text.isBlank()) {
            throw new RequestRejected("empty_field", field, "\"" + field + "\" must not be empty");
        }
        return text;
    }

    private static double number(Map<String, ?> row, String field, double min, double max, String unit) {
        Object value = row.get(field);
        double d;
        if (value == null || value instanceof JsonNode n && (n.isNull() || n.isMissingNode())) {
            throw missing(field, value);
        } else if (value instanceof JsonNode n) {
            if (!n.isNumber()) {
                throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a number, not " + kind(n));
            }
            // A whole number past double's range is a BigInteger that Jackson will not narrow (it throws); through
            // BigDecimal it becomes infinite and is refused below like any other number out of range.
            d = n.isBigInteger() || n.isBigDecimal() ? n.decimalValue().doubleValue() : n.doubleValue();
        } else {
            String text = value.toString().strip();
            if (text.isEmpty()) {
                throw new RequestRejected("empty_field", field, "\"" + field + "\" must not be empty");
            }
            try {
                d = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new RequestRejected("invalid_type", field,
                        "\"" + field + "\" must be a number, not '" + clip(text) + "'");
            }
        }
        if (!Double.isFinite(d)) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a finite number");
        }
        if (d < min || d > max) {
            throw new RequestRejected("out_of_range", field, "\"" + field + "\" must be between " + fmt(min) + " and "
                    + fmt(max) + " " + unit + ", not " + fmt(d));
        }
        return d;
    }

    private static RequestRejected missing(String field, Object value) {
        return value == null
                ? new RequestRejected("missing_field", field, "\"" + field + "\" is required")
                : new RequestRejected("invalid_type", field, "\"" + field + "\" must not be null");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    static String kind(JsonNode n) {
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
