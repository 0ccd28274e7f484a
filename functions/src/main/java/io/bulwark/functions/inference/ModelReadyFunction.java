package io.bulwark.functions.inference;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.inference.InferenceProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/models/{name}/ready} and {@code GET /v2/models/{name}/versions/{version}/ready}: 200 when the model
 * (that version, or the one it serves by default) can be loaded; 400 with the protocol's error body when it cannot
 * ("a 4xx status code indicates false"), 404 for an unknown model or version.
 */
public final class ModelReadyFunction extends InferenceFunction {

    /** The route of the version served by default. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("v2/models/{name}/ready");
    /** The route of one version. */
    public static final FunctionEndpoints.Endpoint VERSIONED =
            FunctionEndpoints.Endpoint.get("v2/models/{name}/versions/{version}/ready");

    private final boolean versioned;

    public ModelReadyFunction(JsonMapper json, InferenceProtocol protocol, boolean versioned) {
        super(json, protocol);
        this.versioned = versioned;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return versioned ? VERSIONED : ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        String name = request.pathParameter("name");
        protocol.modelReady(name, pathVersion(request));
        return new ModelReady(name, true);
    }

    /** The body of a ready answer. */
    public record ModelReady(String name, boolean ready) {
    }
}
