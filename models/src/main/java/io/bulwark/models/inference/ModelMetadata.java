package io.bulwark.models.inference;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The answer of {@code GET /v2/models/{name}[/versions/{version}]}.
 *
 * @param versions every version in the model's registry, oldest first
 * @param platform the library the versions run on
 */
@JsonPropertyOrder({"name", "versions", "platform", "inputs", "outputs"})
public record ModelMetadata(String name, List<String> versions, String platform, List<MetadataTensor> inputs,
                            List<MetadataTensor> outputs) {
}
