package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.registry.ModelRegistry;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code POST /rollback} (admin): promotes the previously promoted version again; 409 when there is none. It takes
 * no body, or {@code {}}.
 */
public final class RollbackFunction extends AdminFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("rollback");


    public RollbackFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth) {
        super(json, classifier, auth, ENDPOINT);
    }

    @Override
    Object serve(FunctionRequest request) {
        optionalJsonObject(request, List.of());
        String before = classifier.promoted();
        ModelRegistry.Promotion p = classifier.rollback();
        return new PromoteFunction.Response("rolled back from " + before + " to " + p.promoted(), p.promoted(), before,
                p.history());
    }
}
