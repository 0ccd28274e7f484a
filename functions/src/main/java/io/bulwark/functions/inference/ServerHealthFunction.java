package io.bulwark.functions.inference;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.inference.InferenceProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/health/live} and {@code GET /v2/health/ready}: 200 when the server is live (always, once it answers)
 * or ready (every model can answer with the version it serves by default); not ready is a 400 with the protocol's
 * error body naming the model, as the protocol says ("a 4xx status code indicates false").
 */
public final class ServerHealthFunction extends InferenceFunction {

    /** The liveness route. */
    public static final FunctionEndpoints.Endpoint LIVE = FunctionEndpoints.Endpoint.get("v2/health/live");
    /** The readiness route. */
    public static final FunctionEndpoints.Endpoint READY = FunctionEndpoints.Endpoint.get("v2/health/ready");

    /** The body of a live answer. */
    public record Live(boolean live) {
    }

    /** The body of a ready answer. */
    public record Ready(boolean ready) {
    }

    private final FunctionEndpoints.Endpoint endpoint;

    /** @param endpoint {@link #LIVE} or {@link #READY} */
    public ServerHealthFunction(JsonMapper json, InferenceProtocol protocol, FunctionEndpoints.Endpoint endpoint) {
        super(json, protocol);
        if (!endpoint.equals(LIVE) && !endpoint.equals(READY)) {
            throw new IllegalArgumentException("not a health route: " + endpoint);
        }
        this.endpoint = endpoint;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Object apply(FunctionRequest request) {
        if (endpoint.equals(LIVE)) {
            return new Live(true);
        }
        protocol.serverReady();
        return new Ready(true);
    }
}
