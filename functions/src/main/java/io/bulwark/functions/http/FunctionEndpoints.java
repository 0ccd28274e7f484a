package io.bulwark.functions.http;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The functions reachable over HTTP, each with its method. The same list drives the local runner
 * and the cloud adapters.
 */
public final class FunctionEndpoints {

    /** A function name (its path) and the HTTP method it takes. */
    public record Endpoint(String name, String method) {
    }

    private final List<Endpoint> endpoints;

    public FunctionEndpoints(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    public Optional<Endpoint> find(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<Endpoint> all() {
        return endpoints;
    }

    /** Returns e.g. {@code POST /sentiment, GET /models}. */
    public String describe() {
        return endpoints.stream().map(e -> e.method() + " /" + e.name()).collect(Collectors.joining(", "));
    }
}
