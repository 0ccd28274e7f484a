package io.bulwark.functions.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;

import java.util.Optional;

/**
 * The Azure Functions handler: {@code METHOD /{*path}} (any path, of any number of segments; the host's route prefix
 * is empty, see {@code host.json}) goes to the same dispatcher as the local runner and AWS Lambda, which routes it
 * ({@code /predict}, {@code /v2/models/{name}/infer}). One routed handler serves every function in
 * {@code FunctionEndpoints}, so a new function, with or without path variables, needs no new {@code function.json}.
 * It holds no logic of its own.
 */
public class AzureHttpFunction {

    /** The Azure function name; {@code src/main/azure/bulwark/function.json} binds it. */
    public static final String NAME = "bulwark";

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", dataType = "binary", route = "{*path}",
                    authLevel = AuthorizationLevel.ANONYMOUS,
                    methods = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH})
            HttpRequestMessage<Optional<byte[]>> request,
            @BindingName("path") String path,
            ExecutionContext context) {
        // The URI's raw path, as sent: the host has already percent-decoded the bound {*path}, and the dispatcher
        // decodes each segment itself. The bound value stands in if the worker gives no URI.
        String raw = request.getUri() != null ? request.getUri().getRawPath() : null;
        FunctionResponse response = AzureSpringContext.dispatcher().dispatch(new FunctionRequest(
                request.getHttpMethod().name(), raw != null ? raw : "/" + (path == null ? "" : path), request.getHeaders(),
                request.getBody() == null ? null : request.getBody().orElse(null),
                // The invocation's id: the request's id when the caller sends no X-Request-Id.
                context == null ? null : context.getInvocationId())
                .withQuery(request.getQueryParameters()));
        HttpResponseMessage.Builder answer = request.createResponseBuilder(HttpStatusType.custom(response.status()));
        response.headers().forEach(answer::header);
        return answer.body(response.body()).build();
    }
}
