package io.bulwark.functions.inference;

import io.bulwark.functions.http.ApiError;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.inference.InferenceError;
import io.bulwark.models.inference.InferenceProtocol;
import tools.jackson.databind.json.JsonMapper;

/**
 * The base of the Open Inference Protocol's functions ({@code /v2/...}): they answer refusals in the protocol's
 * error form, {@code {"error": "<what is wrong>"}}, with the status the refusal carries (400 for a tensor that does
 * not fit, 404 for an unknown model or version, 405 for another method on their paths, 413, 415, 503).
 */
abstract class InferenceFunction extends JsonFunction {

    protected final InferenceProtocol protocol;

    InferenceFunction(JsonMapper json, InferenceProtocol protocol) {
        super(json);
        this.protocol = protocol;
    }

    /** Returns the {@code {version}} of a versioned route ({@code .../versions/{version}/...}), or null. */
    static String pathVersion(FunctionRequest request) {
        return request.pathParameters().get("version");
    }

    @Override
    public final Object errorBody(ApiError error) {
        return new InferenceError(error.message());
    }
}
