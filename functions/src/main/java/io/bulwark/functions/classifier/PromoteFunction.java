package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bulwark.models.ClassifierService;
import io.bulwark.resilience.failure.RequestRejected;
import io.bulwark.models.registry.ModelRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code POST /promote} (admin): {@code {"version": "v2"}} → that version serves requests without
 * {@code X-Model-Version}; the one it replaces is remembered for {@code /rollback}.
 */
public final class PromoteFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("promote");


    public PromoteFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth) {
        super(json, classifier, auth, ENDPOINT);
    }

    /** The answer of {@code /promote} and {@code /rollback}. */
    public record Response(String message, String promoted, String previous,
                           @JsonProperty("previously_promoted") List<String> previouslyPromoted) {
    }

    @Override
    Object serve(FunctionRequest request) {
        JsonNode body = optionalJsonObject(request, List.of("version"));
        JsonNode v = body.get("version");
        if (v == null || v.isNull()) {
            throw new RequestRejected("missing_field", "version", "\"version\" is required, e.g. {\"version\": \"v2\"}");
        }
        if (!v.isString() || !ModelRegistry.isVersionName(v.stringValue().strip())) {
            throw new RequestRejected("invalid_value", "version", "\"version\" must look like v1, v2, ...");
        }
        String before = classifier.promoted();
        ModelRegistry.Promotion p = classifier.promote(v.stringValue().strip());
        String message = p.promoted().equals(before) ? p.promoted() + " was already promoted"
                : p.promoted() + " is promoted (was " + before + ")";
        return new Response(message, p.promoted(), before, p.history());
    }
}
