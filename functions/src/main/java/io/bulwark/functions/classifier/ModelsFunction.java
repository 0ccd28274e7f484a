package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /models}: every version with its held-out metrics, which one is promoted, and the ones
 * promoted before it.
 */
public final class ModelsFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("models");

    private final ClassifierService<?> classifier;

    public ModelsFunction(JsonMapper json, ClassifierService<?> classifier) {
        super(json);
        this.classifier = classifier;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        return classifier.models();
    }
}
