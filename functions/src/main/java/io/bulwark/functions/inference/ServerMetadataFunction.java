package io.bulwark.functions.inference;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.inference.InferenceProtocol;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /v2}: the server's name, version and protocol extensions (none). */
public final class ServerMetadataFunction extends InferenceFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("v2");

    public ServerMetadataFunction(JsonMapper json, InferenceProtocol protocol) {
        super(json, protocol);
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        return protocol.server();
    }
}
