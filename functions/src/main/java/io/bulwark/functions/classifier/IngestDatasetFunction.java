package io.bulwark.functions.classifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.models.dataset.DatasetFormats;
import io.bulwark.models.dataset.DatasetStore;
import io.bulwark.models.dataset.DatasetVersion;
import io.bulwark.models.dataset.HttpSource;
import io.bulwark.models.dataset.JdbcSource;
import io.bulwark.models.dataset.RejectedRow;
import io.bulwark.models.input.RowReader;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * {@code POST /datasets} (admin): ingests a dataset version. The body is either the rows themselves (CSV with a header
 * row, a JSON array of objects, JSON lines, or XML; declared by {@code Content-Type} or detected) or a JSON object
 * naming a source: {@code {"source": "jdbc", "connection": "<name>", "query": "SELECT ..."}} (a connection from
 * {@code bulwark.datasets.connections}) or {@code {"source": "http", "url": "https://..."}} (a host on
 * {@code bulwark.datasets.http.allowed-hosts}). Every row is validated as {@code /predict} would, plus its label;
 * the answer is the version with its profile and the rows it refused, each with the reason.
 *
 * @param <I> the model type's input
 */
public final class IngestDatasetFunction<I extends ModelInput> extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("datasets");

    /** A body this small that is one JSON object with a {@code source} is a source, not rows. */
    private static final int MAX_SOURCE_BODY = 64 * 1024;

    private final DatasetStore<I> store;
    private final JdbcSource jdbc;
    private final HttpSource http;
    private final int rejectedShown;

    public IngestDatasetFunction(JsonMapper json, ClassifierService<I> classifier, AdminAuth auth,
                                 DatasetStore<I> store, JdbcSource jdbc, HttpSource http, int rejectedShown) {
        super(json, classifier, auth, ENDPOINT);
        this.store = store;
        this.jdbc = jdbc;
        this.http = http;
        this.rejectedShown = rejectedShown;
    }

    /** A dataset version as an answer: its metadata and profile, and its first rejected rows with their reasons. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"created", "dataset", "rejected"})
    public record Answer(Boolean created, DatasetVersion dataset, List<RejectedRow> rejected) {
    }

    @Override
    Object serve(FunctionRequest request) {
        JsonNode spec = source(request);
        DatasetStore.Ingested in = spec == null ? upload(request) : switch (text(spec, "source")) {
            case "jdbc" -> {
                fields(spec, List.of("source", "connection", "query"));
                String connection = text(spec, "connection");
                String query = text(spec, "query");
                try (RowReader rows = jdbc.open(connection, query)) {
                    yield store.ingest(rows, DatasetStore.source("type", "jdbc", "connection", connection,
                            "query", query), "query");
                }
            }
            case "http" -> {
                fields(spec, List.of("source", "url"));
                String url = text(spec, "url");
                try (HttpSource.Fetched fetched = http.fetch(url)) {
                    DatasetFormats.Opened opened;
                    try {
                        opened = DatasetFormats.open(fetched.contentType(), fetched.body());
                    } catch (RequestRejected e) {
                        throw new RequestRejected(e.status(), e.code(), "url", fetched.url() + ": " + e.getMessage());
                    }
                    try (RowReader rows = opened.rows()) {
                        yield store.ingest(rows, DatasetStore.source("type", "http", "url", url, "fetched",
                                fetched.url().toString(), "format", opened.format()), "url");
                    }
                }
            }
            default -> throw new RequestRejected("invalid_value", "source", "\"source\" must be jdbc or http (or send"
                    + " the rows themselves as the body), not '" + text(spec, "source") + "'");
        };
        return new Answer(in.created(), in.version(), store.rejected(in.version().id(), rejectedShown));
    }

    private DatasetStore.Ingested upload(FunctionRequest request) {
        DatasetFormats.Opened opened = DatasetFormats.open(request.header("Content-Type"),
                new ByteArrayInputStream(request.body()));
        try (RowReader rows = opened.rows()) {
            return store.ingest(rows, DatasetStore.source("type", "upload", "format", opened.format(), "bytes",
                    request.body().length), "body");
        }
    }

    /** Returns the body as a source object when it is one (a small JSON object with a "source"), else null. */
    private JsonNode source(FunctionRequest request) {
        byte[] body = request.body();
        if (body.length == 0 || body.length > MAX_SOURCE_BODY) {
            return null;
        }
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '{') {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() && node.has("source") ? node : null;
        } catch (JacksonException e) {
            return null; // JSON lines, or broken rows: read as an upload, which says what is wrong
        }
    }

    private void fields(JsonNode spec, List<String> allowed) {
        for (String f : spec.propertyNames()) {
            if (!allowed.contains(f)) {
                throw new RequestRejected("unknown_field", f, "'" + f + "' is not a field of a " + text(spec, "source")
                        + " source: " + String.join(", ", allowed));
            }
        }
    }

    private static String text(JsonNode spec, String field) {
        JsonNode v = spec.get(field);
        if (v == null || v.isNull()) {
            throw new RequestRejected("missing_field", field, "\"" + field + "\" is required");
        }
        if (!v.isString()) {
            throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a string");
        }
        if (v.stringValue().isBlank()) {
            throw new RequestRejected("empty_field", field, "\"" + field + "\" must not be empty");
        }
        return v.stringValue();
    }
}
