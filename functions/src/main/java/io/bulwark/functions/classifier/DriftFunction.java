package io.bulwark.functions.classifier;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.drift.DriftReport;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code GET /drift}: each version's last served inputs against the profile of its training features, feature by
 * feature (Kolmogorov–Smirnov and PSI for numbers, χ² and PSI for categories), with the serving version's verdict
 * first. {@code ?model=digits}: the digit recogniser's versions, on the shape of its input images (ink ratio, mean
 * intensity, bounding-box size and position).
 */
public final class DriftFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("drift");

    /** The query parameter that picks the model: {@code penguins} (the default) or {@code digits}. */
    public static final String MODEL = "model";

    private final ClassifierService<?> classifier;
    private final io.bulwark.models.digits.DigitService digits;

    public DriftFunction(JsonMapper json, ClassifierService<?> classifier) {
        this(json, classifier, null);
    }

    /** @param digits the digit recogniser, whose drift {@code ?model=digits} reports (null: none) */
    public DriftFunction(JsonMapper json, ClassifierService<?> classifier,
                         io.bulwark.models.digits.DigitService digits) {
        super(json);
        this.classifier = classifier;
        this.digits = digits;
    }

    /**
     * The answer.
     *
     * @param serving  the version serving requests without X-Model-Version
     * @param verdict  the serving version's verdict (what the {@code drift} alert watches)
     * @param versions the serving version's report first, then every other version that served since start-up
     */
    @JsonPropertyOrder({"serving", "verdict", "versions"})
    public record Response(String serving, String verdict, List<DriftReport> versions) {
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        String model = request.queryParameter(MODEL);
        List<DriftReport> reports;
        if (model == null || model.isBlank() || "penguins".equals(model.strip())) {
            reports = classifier.drift();
        } else if ("digits".equals(model.strip()) && digits != null) {
            reports = digits.driftReports();
        } else {
            throw new io.bulwark.resilience.failure.RequestRejected("invalid_value", MODEL, "\"model\" must be "
                    + (digits != null ? "penguins or digits" : "penguins") + ", not '"
                    + (model.length() <= 20 ? model : model.substring(0, 20) + "…") + "'");
        }
        return new Response(reports.getFirst().version(), reports.getFirst().verdict(), reports);
    }
}
