package io.bulwark.functions.classifier;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.feedback.LiveAccuracy;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /accuracy}: each version's live accuracy on the feedback labels of its recent answers, beside its held-out
 * accuracy, the serving version first. {@code ?model=digits}: the digit recogniser's versions, on the labels sent to
 * {@code POST /feedback} for {@code /digits} request ids.
 */
public final class AccuracyFunction extends JsonFunction {

    /** The route. */
    public static final FunctionEndpoints.Endpoint ENDPOINT = FunctionEndpoints.Endpoint.get("accuracy");


    private final ClassifierService<?> classifier;
    private final io.bulwark.models.digits.DigitService digits;

    public AccuracyFunction(JsonMapper json, ClassifierService<?> classifier) {
        this(json, classifier, null);
    }

    /** @param digits the digit recogniser, whose live accuracy {@code ?model=digits} reports (null: none) */
    public AccuracyFunction(JsonMapper json, ClassifierService<?> classifier,
                            io.bulwark.models.digits.DigitService digits) {
        super(json);
        this.classifier = classifier;
        this.digits = digits;
    }

    /**
     * The answer.
     *
     * @param serving  the version serving requests without X-Model-Version
     * @param verdict  its verdict (what the {@code accuracy-drop} alert watches)
     * @param versions the serving version first, then every other version with feedback
     */
    @JsonPropertyOrder({"serving", "verdict", "versions"})
    public record Response(String serving, String verdict, List<LiveAccuracy> versions) {
    }

    @Override
    public FunctionEndpoints.Endpoint endpoint() {
        return ENDPOINT;
    }

    @Override
    public Object apply(FunctionRequest request) {
        String serving;
        io.bulwark.models.feedback.Feedback<?> feedback;
        if (ModelParameter.of(request, digits != null) == ModelParameter.DIGITS) {
            serving = digits.resolve(null);
            feedback = digits.feedback();
        } else {
            serving = classifier.serving();
            feedback = classifier.feedback();
        }
        List<LiveAccuracy> versions = new ArrayList<>();
        versions.add(feedback.accuracy(serving));
        for (String v : feedback.versions()) {
            if (!v.equals(serving)) {
                versions.add(feedback.accuracy(v));
            }
        }
        return new Response(serving, versions.getFirst().verdict(), versions);
    }
}
