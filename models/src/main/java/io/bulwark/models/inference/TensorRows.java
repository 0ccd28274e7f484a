package io.bulwark.models.inference;

import io.bulwark.models.InputField;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a request's input tensors into the rows a {@link io.bulwark.models.ModelType} reads: tensor {@code x} is the
 * row field {@code x}, row {@code i} of a tensor is its slice {@code i} along the first dimension (one element for a
 * field of one value, a nested array of the field's shape otherwise), as the JSON a {@code /predict} body would hold.
 * Where the type {@linkplain io.bulwark.models.ModelType#fields() describes its fields}, the tensors are checked
 * against them first: known names, every required field, a datatype that carries the field's values, a row shape of
 * the field's. Every refusal is a 400 naming the input.
 */
final class TensorRows {

    private TensorRows() {
    }

    /** Returns one row per index of the tensors' common first dimension. */
    static List<Map<String, JsonNode>> rows(String model, List<InputField> fields, List<InputTensor> inputs) {
        Map<String, InputField> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        if (!fields.isEmpty()) {
            check(model, byName, inputs);
        }
        long rows = inputs.getFirst().rows();
        for (InputTensor t : inputs) {
            if (t.rows() != rows) {
                throw new RequestRejected("invalid_shape", t.name(), "input '" + t.name() + "' has " + t.rows()
                        + " row" + (t.rows() == 1 ? "" : "s") + " (its first dimension) where input '"
                        + inputs.getFirst().name() + "' has " + rows + ": every input gives the same rows");
            }
        }
        if (rows == 0) {
            throw new RequestRejected("invalid_shape", inputs.getFirst().name(), "input '" + inputs.getFirst().name()
                    + "' has no rows: its first dimension is 0");
        }
        List<Map<String, JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, JsonNode> row = new HashMap<>();
            for (InputTensor t : inputs) {
                row.put(t.name(), slice(t, i));
            }
            out.add(row);
        }
        return out;
    }

    private static void check(String model, Map<String, InputField> fields, List<InputTensor> inputs) {
        Map<String, InputTensor> given = new HashMap<>();
        for (InputTensor t : inputs) {
            InputField f = fields.get(t.name());
            if (f == null) {
                throw new RequestRejected("unknown_input", t.name(), "model " + model + " has no input '"
                        + InferenceRequest.clip(t.name()) + "'; its inputs: " + String.join(", ", fields.keySet()));
            }
            if (!t.datatype().carries(f.kind())) {
                throw new RequestRejected("invalid_datatype", t.name(), "input '" + t.name() + "' is " + t.datatype()
                        + ", but it holds " + (f.kind() == InputField.Kind.TEXT ? "text: send BYTES"
                        : "numbers: send FP32 (or another number type)"));
            }
            if (!fitsShape(f, t.rowShape())) {
                throw new RequestRejected("invalid_shape", t.name(), "input '" + t.name() + "' has shape " + t.shape()
                        + ", but model " + model + " takes " + accepted(f) + " (N rows)");
            }
            given.put(t.name(), t);
        }
        for (InputField f : fields.values()) {
            if (f.required() && !given.containsKey(f.name())) {
                throw new RequestRejected("missing_input", f.name(), "input '" + f.name() + "' is missing: model "
                        + model + " takes " + String.join(", ", fields.keySet()) + " (" + optional(fields)
                        + ")");
            }
        }
    }

    private static String optional(Map<String, InputField> fields) {
        List<String> optional = fields.values().stream().filter(f -> !f.required()).map(InputField::name).toList();
        return optional.isEmpty() ? "all required" : String.join(", ", optional) + " may be left out";
    }

    /** A field of one value takes [N] or [N, 1]; an array field [N, ...] with one of its shapes. */
    private static boolean fitsShape(InputField f, List<Long> rowShape) {
        if (f.scalar()) {
            return rowShape.isEmpty() || rowShape.equals(List.of(1L));
        }
        return f.shapes().stream().anyMatch(s -> s.stream().map(Integer::longValue).toList().equals(rowShape));
    }

    private static String accepted(InputField f) {
        if (f.scalar()) {
            return "[N] or [N, 1]";
        }
        return f.shapes().stream().map(s -> "[N, " + s.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "]").collect(Collectors.joining(" or "));
    }

    /** Row {@code i} of a tensor: one element when a row holds one, else a nested array of the row's shape. */
    private static JsonNode slice(InputTensor t, int i) {
        List<Long> shape = t.rowShape();
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        int from = Math.toIntExact(i * size);
        if (size == 1 && shape.stream().allMatch(d -> d == 1)) {
            return t.data().get(from);
        }
        return nest(t.data(), from, shape, 0);
    }

    private static ArrayNode nest(List<JsonNode> data, int from, List<Long> shape, int depth) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        long inner = 1;
        for (int d = depth + 1; d < shape.size(); d++) {
            inner *= shape.get(d);
        }
        for (int k = 0; k < shape.get(depth); k++) {
            int at = Math.toIntExact(from + k * inner);
            out.add(depth == shape.size() - 1 ? data.get(at) : nest(data, at, shape, depth + 1));
        }
        return out;
    }
}
