package io.bulwark.models.inference;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The answer of {@code GET /v2}: the server's name, version and the protocol extensions it supports (none). */
@JsonPropertyOrder({"name", "version", "extensions"})
public record ServerMetadata(String name, String version, List<String> extensions) {
}
