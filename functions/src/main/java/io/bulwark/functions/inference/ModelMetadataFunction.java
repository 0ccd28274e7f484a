package io.bulwark.functions.inference;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.inference.InferenceProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/models/{name}} and {@code GET /v2/models/{name}/versions/{version}}: the model's versions, inputs
 * (one tensor per field of its type) and outputs.
 */
public final class ModelMetadataFunction extends InferenceFunction {

    /** The route of the version served by default. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("v2/models/{name}");
    /** The route of one version. */
    public static final FunctionEndpoints.Endpoint VERSIONED =
            FunctionEndpoints.Endpoint.get("v2/models/{name}/versions/{version}");

    private final boolean versioned;

    public ModelMetadataFunction(JsonMapper json, InferenceProtocol protocol, boolean versioned) {
        super(json, protocol);
        this.versioned = versioned;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return versioned ? VERSIONED : ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        return protocol.metadata(request.pathParameter("name"), pathVersion(request));
    }
}
