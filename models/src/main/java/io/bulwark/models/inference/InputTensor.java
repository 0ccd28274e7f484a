package io.bulwark.models.inference;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * One input tensor of an inference request, checked: its elements agree with its datatype and number as many as its
 * shape holds.
 *
 * @param data the elements, flat, in row-major order
 */
record InputTensor(String name, Datatype datatype, List<Long> shape, List<JsonNode> data) {

    /** Returns the first dimension: the number of rows. */
    long rows() {
        return shape.getFirst();
    }

    /** Returns the shape of one row: the shape less its first dimension. */
    List<Long> rowShape() {
        return shape.subList(1, shape.size());
    }
}
