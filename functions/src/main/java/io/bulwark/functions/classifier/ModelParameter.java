package io.bulwark.functions.classifier;

import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.resilience.failure.RequestRejected;

/** The {@code ?model=} of the monitoring routes ({@code /drift}, {@code /accuracy}): which model type they report. */
enum ModelParameter {
    PENGUINS, DIGITS;

    /** The query parameter's name. */
    static final String NAME = "model";

    /**
     * Reads the request's {@code ?model=}: absent, blank or {@code penguins} is the penguin classifier, {@code digits}
     * the digit recogniser when one is served; anything else is a 400 {@code invalid_value} naming {@code model}.
     */
    static ModelParameter of(FunctionRequest request, boolean digitsServed) {
        String model = request.queryParameter(NAME);
        if (model == null || model.isBlank() || "penguins".equals(model.strip())) {
            return PENGUINS;
        }
        if ("digits".equals(model.strip()) && digitsServed) {
            return DIGITS;
        }
        throw new RequestRejected("invalid_value", NAME, "\"model\" must be "
                + (digitsServed ? "penguins or digits" : "penguins") + ", not '"
                + (model.length() <= 20 ? model : model.substring(0, 20) + "…") + "'");
    }
}
