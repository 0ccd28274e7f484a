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
        List<DriftReport> reports = ModelParameter.of(request, digits != null) == ModelParameter.DIGITS
                ? digits.driftReports() : classifier.drift();
        return new Response(reports.getFirst().version(), reports.getFirst().verdict(), reports);
    }
}
