package io.bulwark.models.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /v2/models/{name}[/versions/{version}]/infer}.
 *
 * @param id         the request's {@code id}, else the request id ({@code X-Request-Id})
 * @param parameters {@code fallback} when the version asked for could not be loaded (as {@code /predict} says it);
 *                   omitted when empty
 */
@JsonPropertyOrder({"model_name", "model_version", "id", "parameters", "outputs"})
public record InferenceResponse(@JsonProperty("model_name") String modelName,
                                @JsonProperty("model_version") String modelVersion, String id,
                                @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> parameters,
                                List<OutputTensor> outputs) {
}
