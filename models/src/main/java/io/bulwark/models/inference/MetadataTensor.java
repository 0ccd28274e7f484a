package io.bulwark.models.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * An input or output of a model as its metadata describes it: name, datatype and shape, {@code -1} for the batch
 * dimension.
 *
 * @param parameters e.g. {@code labels}, the class of each column of {@code probabilities}; omitted when empty
 */
@JsonPropertyOrder({"name", "datatype", "shape", "parameters"})
public record MetadataTensor(String name, String datatype, List<Long> shape,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> parameters) {
}
