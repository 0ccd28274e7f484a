package io.bulwark.models.inference;

import io.bulwark.models.Answer;
import io.bulwark.models.ClassifierService;
import io.bulwark.models.ModelInput;
import io.bulwark.models.ModelType;

import java.util.ArrayList;
import java.util.List;

/**
 * A model as the Open Inference Protocol serves it, whatever runs it: a Tribuo classifier
 * ({@link #of(ClassifierService)}) or the digit recogniser's ONNX graphs. The protocol maps tensors to the
 * {@link #type() type}'s rows and inputs; this answers them.
 *
 * @param <I> the model type's input
 */
public interface InferenceModel<I extends ModelInput> {

    /**
     * The version that answers, why it is not the one asked for (null when it is), and what the model needs to answer
     * with it (its own, e.g. the loaded classifier).
     */
    record Selected(String version, String fallback, Object handle) {
    }

    /** One input's answer, and whether a cache gave it. */
    record Predicted(Answer answer, boolean cached) {
    }

    /** Returns the model type: its name, fields and input validation. */
    ModelType<I> type();

    /** Returns the platform {@code GET /v2/models/{name}} names, e.g. {@code tribuo} or {@code onnxruntime}. */
    String platform();

    /** Returns the versions, oldest first. */
    List<String> versions();

    /**
     * Selects {@code version} (null: the one served by default).
     *
     * @throws io.bulwark.resilience.failure.RequestRejected 404 for an unknown version, 503 when it cannot answer
     */
    Selected select(String version);

    /** Returns the classes of a selected version, in the order of the {@code probabilities} output. */
    List<String> labels(Selected selected);

    /** Answers {@code inputs} with a selected version, in order. */
    List<Predicted> predict(Selected selected, List<I> inputs);

    /** Returns a Tribuo classifier as a served model: the same selection, exact cache and answers as {@code /predict}. */
    static <I extends ModelInput> InferenceModel<I> of(ClassifierService<I> service) {
        return new InferenceModel<>() {
            @Override
            public ModelType<I> type() {
                return service.type();
            }

            @Override
            public String platform() {
                return "tribuo";
            }

            @Override
            public List<String> versions() {
                return service.versions();
            }

            @Override
            public Selected select(String version) {
                ClassifierService.Selected s = service.select(version);
                return new Selected(s.version(), s.fallback(), s);
            }

            @Override
            public List<String> labels(Selected selected) {
                return service.labels((ClassifierService.Selected) selected.handle());
            }

            @Override
            public List<Predicted> predict(Selected selected, List<I> inputs) {
                ClassifierService.Selected s = (ClassifierService.Selected) selected.handle();
                List<Predicted> out = new ArrayList<>(inputs.size());
                for (I input : inputs) {
                    ClassifierService.Cached c = service.predict(s, input);
                    out.add(new Predicted(c.answer(), c.cached()));
                }
                return out;
            }
        };
    }
}
