package io.bulwark.models.inference;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An inference request of the Open Inference Protocol, read from its JSON and checked on its own (the model checks
 * the rest, see {@link TensorRows}): {@code inputs} a non-empty array of tensors with a name, a shape of at least
 * one dimension (the first counts rows), a known datatype, and data (flat or nested, row-major) whose elements are of
 * that datatype and number as many as the shape holds; {@code outputs} optional, by name; {@code id} an optional
 * string; {@code parameters} an optional object (not used). Every refusal is a 400 naming the input at fault.
 *
 * @param outputs the outputs asked for by name; empty for all
 */
record InferenceRequest(String id, List<InputTensor> inputs, List<String> outputs) {

    /** More elements than this in one request are refused before they are read (32 MiB of JSON holds fewer). */
    static final long MAX_ELEMENTS = 10_000_000;

    static InferenceRequest parse(JsonNode body) {
        JsonNode id = body.path("id");
        if (!id.isMissingNode() && !id.isString()) {
            throw new RequestRejected("invalid_type", "id", "\"id\" must be a string, not " + Datatype.kind(id));
        }
        JsonNode parameters = body.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isObject()) {
            throw new RequestRejected("invalid_type", "parameters", "\"parameters\" must be an object, not "
                    + Datatype.kind(parameters));
        }
        JsonNode inputs = body.path("inputs");
        if (inputs.isMissingNode()) {
            throw new RequestRejected("missing_field", "inputs", "\"inputs\" is required: a list of input tensors,"
                    + " each {\"name\", \"shape\", \"datatype\", \"data\"}");
        }
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw new RequestRejected("invalid_type", "inputs", "\"inputs\" must be a non-empty list of input tensors,"
                    + " not " + (inputs.isArray() ? "an empty list" : Datatype.kind(inputs)));
        }
        List<InputTensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long elements = 0;
        for (int i = 0; i < inputs.size(); i++) {
            InputTensor t = tensor(inputs.get(i), i);
            if (!names.add(t.name())) {
                throw new RequestRejected("invalid_value", t.name(), "input '" + t.name() + "' is given twice");
            }
            elements += t.data().size();
            if (elements > MAX_ELEMENTS) {
                throw new RequestRejected(413, "too_large", t.name(), "the inputs hold more than " + MAX_ELEMENTS
                        + " elements together");
            }
            tensors.add(t);
        }
        return new InferenceRequest(id.isString() ? id.stringValue() : null, List.copyOf(tensors),
                outputs(body.path("outputs")));
    }

    private static InputTensor tensor(JsonNode t, int index) {
        if (!t.isObject()) {
            throw new RequestRejected("invalid_type", "inputs", "inputs[" + index + "] must be an object"
                    + " {\"name\", \"shape\", \"datatype\", \"data\"}, not " + Datatype.kind(t));
        }
        JsonNode nameNode = t.path("name");
        if (!nameNode.isString() || nameNode.stringValue().isBlank()) {
            throw new RequestRejected(nameNode.isMissingNode() ? "missing_field" : "invalid_type", "inputs",
                    "inputs[" + index + "] needs a \"name\": a non-empty string");
        }
        String name = nameNode.stringValue();
        String at = "input '" + name + "'";
        if (t.path("parameters").has("binary_data_size")) {
            throw new RequestRejected("unsupported", name, at + " is sent as binary data (the binary tensor data"
                    + " extension), which Bulwark does not support: send its data as JSON (tritonclient:"
                    + " set_data_from_numpy(..., binary_data=False))");
        }
        List<Long> shape = shape(t.path("shape"), name, at);
        JsonNode datatypeNode = t.path("datatype");
        if (!datatypeNode.isString()) {
            throw new RequestRejected(datatypeNode.isMissingNode() ? "missing_field" : "invalid_type", name,
                    at + " needs a \"datatype\", e.g. FP32 or BYTES");
        }
        Datatype datatype = Datatype.of(datatypeNode.stringValue()).orElseThrow(() -> new RequestRejected(
                "invalid_datatype", name, at + ": '" + clip(datatypeNode.stringValue()) + "' is not a datatype of the"
                + " protocol (BOOL, UINT8..UINT64, INT8..INT64, FP16, FP32, FP64, BYTES)"));
        JsonNode data = t.path("data");
        if (!data.isArray()) {
            throw new RequestRejected(data.isMissingNode() ? "missing_field" : "invalid_type", name,
                    at + " needs \"data\": a list of its elements, flat or nested, in row-major order");
        }
        long count = 1;
        for (long d : shape) {
            count = d == 0 || count == 0 ? 0 : count > MAX_ELEMENTS / d ? MAX_ELEMENTS + 1 : count * d;
        }
        if (count > MAX_ELEMENTS) {
            throw new RequestRejected(413, "too_large", name, at + ": shape " + shape + " holds more than "
                    + MAX_ELEMENTS + " elements");
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, shape, 0, flat, name, !data.isEmpty() && data.get(0).isArray());
        if (flat.size() != count) {
            throw new RequestRejected("invalid_shape", name, at + ": data holds " + flat.size() + " element"
                    + (flat.size() == 1 ? "" : "s") + " where shape " + shape + " holds " + count);
        }
        for (int i = 0; i < flat.size(); i++) {
            String why = datatype.refuse(flat.get(i));
            if (why != null) {
                throw new RequestRejected("invalid_data", name, at + ": element " + i + " " + clip(why) + " as "
                        + datatype + " needs");
            }
        }
        return new InputTensor(name, datatype, shape, List.copyOf(flat));
    }

    private static List<Long> shape(JsonNode node, String name, String at) {
        if (!node.isArray() || node.isEmpty()) {
            throw new RequestRejected(node.isMissingNode() ? "missing_field" : "invalid_shape", name, at
                    + " needs a \"shape\": a list of at least one dimension, the first the number of rows, e.g. [1]");
        }
        List<Long> shape = new ArrayList<>();
        for (JsonNode d : node) {
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new RequestRejected("invalid_shape", name, at + ": shape " + clip(node.toString())
                        + " must be a list of whole numbers of at least 0");
            }
            shape.add(d.longValue());
        }
        return List.copyOf(shape);
    }

    /**
     * Adds the elements of {@code data} to {@code flat}: a flat list as it is; a nested one only when its nesting is
     * the shape's, so {@code [[1, 2, 3], [4]]} is not taken for a [2, 2] tensor.
     */
    private static void flatten(JsonNode data, List<Long> shape, int depth, List<JsonNode> flat, String name,
                                boolean nested) {
        String at = "input '" + name + "'";
        if (!nested) {
            for (JsonNode e : data) {
                if (e.isArray()) {
                    throw new RequestRejected("invalid_shape", name, at
                            + ": data mixes lists and elements at one level");
                }
                flat.add(e);
                if (flat.size() > MAX_ELEMENTS) {
                    return;
                }
            }
            return;
        }
        if (depth >= shape.size() || data.size() != shape.get(depth)) {
            throw new RequestRejected("invalid_shape", name, at + ": nested data does not"
                    + " have the shape " + shape + " (a list of " + data.size() + " at depth " + depth + ")");
        }
        for (JsonNode e : data) {
            if (depth == shape.size() - 1) {
                if (e.isArray()) {
                    throw new RequestRejected("invalid_shape", name, at
                            + ": nested data is deeper than the shape " + shape);
                }
                flat.add(e);
            } else {
                if (!e.isArray()) {
                    throw new RequestRejected("invalid_shape", name, at
                            + ": nested data does not have the shape " + shape + " (an element at depth " + depth
                            + ")");
                }
                flatten(e, shape, depth + 1, flat, name, true);
            }
        }
    }

    private static List<String> outputs(JsonNode outputs) {
        if (outputs.isMissingNode() || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw new RequestRejected("invalid_type", "outputs", "\"outputs\" must be a list of {\"name\": ...},"
                    + " not " + Datatype.kind(outputs));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode o : outputs) {
            if (!o.path("name").isString()) {
                throw new RequestRejected("invalid_type", "outputs", "each of \"outputs\" must be {\"name\": ...}");
            }
            if (o.path("parameters").has("classification")) {
                throw new RequestRejected("unsupported", "outputs", "output '" + clip(o.path("name").asString())
                        + "' asks for the classification extension, which Bulwark does not support: ask for"
                        + " label and probabilities (tritonclient: InferRequestedOutput(name) without class_count)");
            }
            names.add(o.path("name").stringValue());
        }
        return List.copyOf(names);
    }

    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
