package io.bulwark.functions.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The routes of the functions reachable over HTTP, each declared by its function ({@link HttpFunction#endpoint()}).
 * The same list drives the local runner, the cloud adapters and SnapStart priming.
 */
public final class FunctionEndpoints {

    /** A function name (its path, without the slash) and the HTTP method it takes. */
    public record Endpoint(String name, String method) {

        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(method, "method");
        }

        /** A function taking {@code POST /name}. */
        public static Endpoint post(String name) {
            return new Endpoint(name, "POST");
        }

        /** A function taking {@code GET /name}. */
        public static Endpoint get(String name) {
            return new Endpoint(name, "GET");
        }
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
