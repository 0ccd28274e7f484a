package io.bulwark.functions.inference;

import io.bulwark.functions.classifier.PredictionLogger;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.inference.InferenceProtocol;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v2/models/{name}/infer} and {@code POST /v2/models/{name}/versions/{version}/infer}: named input
 * tensors (one per field of the model's type, N rows each) → the outputs {@code label} and {@code probabilities},
 * from the same classifier, version selection, validation, cache and prediction log as {@code /predict} (without a
 * version in the path, {@code X-Model-Version} picks one as there). Each row is logged as a batch row
 * ({@code <request id>#<row>}).
 */
public final class InferFunction extends InferenceFunction {

    /** The route of the version served by default. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.post("v2/models/{name}/infer");
    /** The route of one version. */
    public static final FunctionEndpoints.Endpoint VERSIONED =
            FunctionEndpoints.Endpoint.post("v2/models/{name}/versions/{version}/infer");

    /** The header of the binary tensor data extension: the length of the JSON part before the binary data. */
    static final String BINARY_HEADER = "Inference-Header-Content-Length";

    private final boolean versioned;
    private final PredictionLogger predictions;
    private final Ticker ticker;

    public InferFunction(JsonMapper json, InferenceProtocol protocol, PredictionLogger predictions, Ticker ticker,
                         boolean versioned) {
        super(json, protocol);
        this.versioned = versioned;
        this.predictions = predictions;
        this.ticker = ticker;
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return versioned ? VERSIONED : ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        long start = ticker.read();
        if (request.header(BINARY_HEADER) != null) {
            throw new RequestRejected("unsupported", BINARY_HEADER, "the body holds binary tensor data (the binary"
                    + " tensor data extension, " + BINARY_HEADER + "), which Bulwark does not support: send every"
                    + " tensor's data as JSON (tritonclient: set_data_from_numpy(..., binary_data=False))");
        }
        String name = request.pathParameter("name");
        InferenceProtocol.Inference result = protocol.infer(name, pathVersion(request),
                request.header(ClassifierService.VERSION_HEADER), jsonObject(request), request.requestId());
        PredictionLogger.Batch logged = predictions.batch("v2/models/" + name + "/infer", request.requestId(),
                result.version());
        double perRow = (ticker.read() - start) / 1e6 / result.rows().size();
        for (int i = 0; i < result.rows().size(); i++) {
            InferenceProtocol.Row row = result.rows().get(i);
            logged.add(i, row.input(), row.answer(), perRow);
        }
        logged.answered();
        return result.response();
    }
}
