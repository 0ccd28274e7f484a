package io.bulwark.functions.classifier;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.models.dataset.DatasetStore;
import io.bulwark.models.dataset.DatasetVersion;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /datasets} (admin): every dataset version, oldest first; {@code GET /datasets?id=ds-…} one version with
 * its profile and its first rejected rows. (The dispatcher routes fixed paths, so one version is named by a query
 * parameter rather than {@code /datasets/{id}}.)
 *
 * @param <I> the model type's input
 */
public final class DatasetsFunction<I extends ModelInput> extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("datasets");

    private final DatasetStore<I> store;
    private final int rejectedShown;

    public DatasetsFunction(JsonMapper json, ClassifierService<I> classifier, AdminAuth auth, DatasetStore<I> store,
                            int rejectedShown) {
        super(json, classifier, auth, ENDPOINT);
        this.store = store;
        this.rejectedShown = rejectedShown;
    }

    /** One version in the list. */
    @JsonPropertyOrder({"id", "created_at", "source", "sha256", "rows", "rejected_rows", "labels"})
    public record Summary(String id, @JsonProperty("created_at") Instant createdAt, Map<String, Object> source,
                          String sha256, long rows, @JsonProperty("rejected_rows") long rejectedRows,
                          Map<String, Long> labels) {
    }

    /** The list. */
    public record Listing(List<Summary> datasets) {
    }

    @Override
    Object serve(FunctionRequest request) {
        for (String name : request.query().keySet()) {
            if (!name.equals("id")) {
                throw new RequestRejected("unknown_field", name, "'" + name + "' is not a parameter of GET /datasets:"
                        + " id (a dataset id), or none for the list");
            }
        }
        String id = request.queryParameter("id");
        if (id != null) {
            DatasetVersion v = store.get(id, "id");
            return new IngestDatasetFunction.Answer(null, v, store.rejected(v.id(), rejectedShown));
        }
        return new Listing(store.list().stream().map(v -> new Summary(v.id(), v.createdAt(), v.source(), v.sha256(),
                v.rows(), v.rejectedRows(), v.labels())).toList());
    }
}
