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

    /**
     * A function's route: its path without the leading slash, and the HTTP method it takes.
     * <p>
     * The path is a template of segments split by {@code /}: a literal ({@code predict}, {@code v2}) or a whole-segment
     * variable ({@code {name}}), e.g. {@code v2/models/{name}/infer}. A variable matches one non-empty segment; the
     * function reads its percent-decoded value with {@link FunctionRequest#pathParameter(String)}. Where two routes
     * match a path, the one with a literal at the first segment where they differ wins ({@code jobs/stats} before
     * {@code jobs/{id}}). Several functions may share a path with different methods (405 for any other). The same
     * template is the path of the function in openapi.json and template.yaml ({@code /v2/models/{name}/infer}), so
     * those tests compare routes as text. {@code name} is also the function's name in logs and metrics.
     */
    public record Endpoint(String name, String method) {

        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(method, "method");
            PathTemplate.parse(name); // refuses a malformed template when the function is declared
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
