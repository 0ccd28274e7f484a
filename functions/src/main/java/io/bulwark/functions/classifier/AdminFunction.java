package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import tools.jackson.databind.json.JsonMapper;

/**
 * The base of the classifier's admin functions ({@code /train}, {@code /promote}, {@code /rollback}): every call is
 * checked against the admin token before the function sees it, so a new admin function cannot forget the check.
 */
abstract class AdminFunction extends JsonFunction {

    protected final ClassifierService<?> classifier;
    private final AdminAuth auth;
    private final FunctionEndpoints.Endpoint endpoint;

    AdminFunction(JsonMapper json, ClassifierService<?> classifier, AdminAuth auth,
                  FunctionEndpoints.Endpoint endpoint) {
        super(json);
        this.classifier = classifier;
        this.auth = auth;
        this.endpoint = endpoint;
    }

    @Override
    public final FunctionEndpoints.Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public final Object apply(FunctionRequest request) {
        auth.check(request.header("Authorization"), request.header(AdminAuth.TOKEN_HEADER));
        return serve(request);
    }

    /** Answers a request whose admin token was accepted. */
    abstract Object serve(FunctionRequest request);
}
