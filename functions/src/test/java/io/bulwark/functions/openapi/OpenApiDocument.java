package io.bulwark.functions.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI document as the tests read it: its operations, the statuses each answers, and a JSON Schema 2020-12
 * validator for the body of one (path, method, status).
 */
public final class OpenApiDocument {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** JSON Schema 2020-12, told that the document's {@code components} beside a schema are no keyword of it. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(
            Dialect.builder(Dialects.getDraft202012()).keyword(new NonValidationKeyword("components")).build());

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** Reads the document the application serves. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiController.DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(OpenApiController.DOCUMENT + " is not on the classpath");
            }
            return new OpenApiDocument(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Every operation as {@code METHOD /path}. */
    public Set<String> operations() {
        Set<String> out = new TreeSet<>();
        root.path("paths").properties().forEach(p -> p.getValue().propertyNames().forEach(m ->
                out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return out;
    }

    /**
     * Returns the document's path that a concrete path is an instance of ({@code /v2/models/penguins/infer} →
     * {@code /v2/models/{name}/infer}), a literal path before a template; null when none is.
     */
    public String pathOf(String concrete) {
        if (root.path("paths").has(concrete)) {
            return concrete;
        }
        String[] parts = concrete.split("/", -1);
        for (String template : root.path("paths").propertyNames()) {
            String[] t = template.split("/", -1);
            if (t.length != parts.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < t.length && match; i++) {
                match = t[i].startsWith("{") ? !parts[i].isEmpty() : t[i].equals(parts[i]);
            }
            if (match) {
                return template;
            }
        }
        return null;
    }

    /** The operations tagged {@code operator}: the local runner's pages, not functions. */
    public Set<String> operatorPages() {
        Set<String> out = new TreeSet<>();
        root.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            for (JsonNode tag : m.getValue().path("tags")) {
                if (tag.asString().equals("operator")) {
                    out.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
            }
        }));
        return out;
    }

    /** The statuses an operation lists. */
    public Set<Integer> statuses(String method, String path) {
        Set<Integer> out = new TreeSet<>();
        operation(method, path).path("responses").propertyNames().forEach(s -> out.add(Integer.parseInt(s)));
        return out;
    }

    /** A component schema by name. */
    public JsonNode component(String name) {
        JsonNode schema = root.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no schema " + name);
        }
        return schema;
    }

    /** The property names a component schema declares. */
    public Set<String> properties(String component) {
        return new TreeSet<>(component(component).path("properties").propertyNames());
    }

    /**
     * Validates a JSON answer against the document's schema for it; returns the errors, none when it conforms.
     *
     * @throws IllegalArgumentException when the document lists no JSON answer for that status
     */
    public List<String> validate(String method, String path, int status, JsonNode body) {
        return validate(operation(method, path).path("responses").path(String.valueOf(status)),
                method + " " + path + " " + status, body);
    }

    /** Validates a JSON answer against the schema of a shared response, e.g. {@code MethodNotAllowed}. */
    public List<String> validateShared(String response, JsonNode body) {
        JsonNode r = root.path("components").path("responses").path(response);
        if (r.isMissingNode()) {
            throw new IllegalArgumentException("no shared response " + response);
        }
        return validate(r, response, body);
    }

    private List<String> validate(JsonNode response, String what, JsonNode body) {
        if (response.has("$ref")) {
            response = pointer(response.get("$ref").asString());
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException(what + ": no JSON answer is described");
        }
        // The schema's $refs point into the document, so it is validated with the document's components beside it.
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.set("components", root.path("components"));
        wrapper.setAll((ObjectNode) schema);
        Schema validator = SCHEMAS.getSchema(wrapper);
        List<String> errors = new ArrayList<>();
        for (Error e : validator.validate(body)) {
            errors.add(e.getInstanceLocation() + " " + e.getKeyword()
                    + (e.getProperty() == null ? "" : " '" + e.getProperty() + "'") + ": " + e.getMessage());
        }
        return errors;
    }

    private JsonNode operation(String method, String path) {
        JsonNode op = root.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
        if (op.isMissingNode()) {
            throw new IllegalArgumentException("the document has no " + method + " " + path);
        }
        return op;
    }

    private JsonNode pointer(String ref) {
        return root.at(ref.substring(1));
    }
}
