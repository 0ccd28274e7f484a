package io.bulwark.functions.aws;

import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.FunctionResponse;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warms the functions before Lambda SnapStart takes its snapshot, so a restored instance answers its first request
 * with the request path's classes loaded and initialised. Every function gets a request with an empty body (the
 * dispatcher, header handling, JSON parsing and the 4xx path run, and nothing changes); then the inference functions
 * a first caller is most likely to hit ({@link #SAMPLES}: {@code /sentiment}, {@code /predict}, {@code /digits}) answer one real
 * request each, so their success path runs too: validation, the whole sentiment chain (exact and semantic cache,
 * router, boundary, the local model, ledger), the classifier and the digit recogniser (whose models load on first use,
 * so here), answer serialisation, the prediction log and the
 * observers. The sentiment sample is a plain positive sentence the router's {@code local_confident} rule keeps on the
 * local model, so no LLM is called (with the router off it would go to the cheap LLM: one call per snapshot). What it
 * leaves behind, in the snapshot: one exact-cache entry for that sentence, one $0 ledger entry, one line per sample in
 * the prediction log and one request per sample in the meters, all under the request id {@code snapstart-priming}.
 * <p>
 * Registered with {@code org.crac}; Lambda's runtime client calls the hooks through its own implementation
 * ({@code com.amazonaws.services.lambda.crac}, which {@code org.crac} finds through the {@code org.crac.Core.Compat}
 * system property); on a JVM without either (the local runner, Azure) the hook never fires.
 */
public final class SnapStartPriming implements Resource {

    private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);

    /** The request id of every priming request. */
    public static final String REQUEST_ID = "snapstart-priming";

    /**
     * One valid body for each function whose success path is primed, by function name. {@code /predict} and
     * {@code /digits} also load their models here: the context loads them on first use (a start that only answers
     * {@code /sentiment} does not pay for Tribuo's model or ONNX Runtime), so the snapshot must hold them loaded.
     */
    static final Map<String, String> SAMPLES = Map.of(
            "sentiment", "{\"text\": \"I love this product, it works great\"}",
            "predict", "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
                    + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}",
            "digits", "{\"pixels\": " + strokeOfAOne() + "}");

    /** 28×28 grey levels, row by row: a vertical stroke, about what a handwritten 1 looks like. */
    private static String strokeOfAOne() {
        List<String> pixels = new ArrayList<>(28 * 28);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                pixels.add(y >= 4 && y < 24 && (x == 13 || x == 14) ? "255" : "0");
            }
        }
        return "[" + String.join(",", pixels) + "]";
    }

    private final FunctionDispatcher dispatcher;
    private final FunctionCatalog catalog;
    private final JsonMapper json;

    /**
     * @param dispatcher every function's route
     * @param catalog    Spring Cloud Function's catalog: the samples go to the Lambda entry function
     *                   ({@value ApiGatewayFunction#NAME}) as {@code FunctionInvoker} calls it, a message holding an API
     *                   Gateway (HTTP API) event, so the invoker's wrappers and the event mapping are primed too
     * @param json       writes those events and reads the answers
     */
    public SnapStartPriming(FunctionDispatcher dispatcher, FunctionCatalog catalog, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.catalog = catalog;
        this.json = json;
    }

    /** Registers this hook with the JVM's checkpoint/restore coordinator. */
    public SnapStartPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        List<FunctionResponse> answers = prime();
        log.info("Primed {} functions before the snapshot: statuses {}", answers.size(),
                answers.stream().map(FunctionResponse::status).toList());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to reopen: the functions hold no sockets or files across a snapshot.
        log.info("Restored from the snapshot");
    }

    /**
     * Sends each function one empty-bodied request, then each function of {@link #SAMPLES} its sample, and returns
     * the answers in that order (endpoint order, then the samples in endpoint order).
     */
    public List<FunctionResponse> prime() {
        List<FunctionResponse> answers = new ArrayList<>();
        for (FunctionEndpoints.Endpoint e : dispatcher.endpoints().all()) {
            answers.add(send(e, new byte[0]));
        }
        for (FunctionEndpoints.Endpoint e : dispatcher.endpoints().all()) {
            String sample = SAMPLES.get(e.name());
            if (sample != null && "POST".equals(e.method())) {
                answers.add(throughApiGateway(e, sample));
            }
        }
        return answers;
    }

    /** The sample as an HTTP API (payload 2.0) event through the Lambda entry function, as a restored instance gets it. */
    private FunctionResponse throughApiGateway(FunctionEndpoints.Endpoint e, String body) {
        java.util.function.Function<Message<InputStream>, Object> entry = catalog.lookup(ApiGatewayFunction.NAME,
                "application/json");
        Map<String, Object> event = Map.of("version", "2.0", "routeKey", e.method() + " /" + e.name(),
                "rawPath", "/" + e.name(), "rawQueryString", "",
                "headers", Map.of("content-type", "application/json", "x-request-id", REQUEST_ID),
                "requestContext", Map.of("http", Map.of("method", e.method(), "path", "/" + e.name()),
                        "requestId", REQUEST_ID),
                "body", body, "isBase64Encoded", false);
        Object answer = entry.apply(MessageBuilder.<InputStream>withPayload(
                new ByteArrayInputStream(json.writeValueAsBytes(event))).build());
        Object payload = answer instanceof Message<?> m ? m.getPayload() : answer;
        JsonNode r = payload instanceof byte[] bytes ? json.readTree(bytes) : json.valueToTree(payload);
        return new FunctionResponse(r.path("statusCode").asInt(), Map.of(),
                r.path("body").asString("").getBytes(StandardCharsets.UTF_8));
    }

    private FunctionResponse send(FunctionEndpoints.Endpoint e, byte[] body) {
        return dispatcher.dispatch(new FunctionRequest(e.method(), "/" + e.name(),
                Map.of("content-type", "application/json", "x-request-id", REQUEST_ID), body));
    }
}
