package io.bulwark.models.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/** One output tensor of an inference answer; {@code data} flat, in row-major order. */
@JsonPropertyOrder({"name", "datatype", "shape", "parameters", "data"})
public record OutputTensor(String name, String datatype, List<Long> shape,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> parameters,
                           List<?> data) {
}
