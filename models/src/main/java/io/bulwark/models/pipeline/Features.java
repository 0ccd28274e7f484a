package io.bulwark.models.pipeline;

import io.bulwark.models.ModelInput;
import io.bulwark.models.ModelType;
import org.tribuo.Example;
import org.tribuo.classification.Label;

/**
 * How one model version turns an input into its features: through its {@link FittedPipeline} when it was trained
 * with one, else through the model type's own {@link ModelType#example} (versions saved before pipelines existed).
 * The trainer and the service both get a version's features here, so training and serving cannot differ.
 *
 * @param <I> the model type's input
 */
@FunctionalInterface
public interface Features<I extends ModelInput> {

    /** Returns the example of {@code input} with {@code label} (the unknown label to predict). */
    Example<Label> example(I input, Label label);

    /** Returns the features of a version of {@code type} that has {@code pipeline}, or none (null). */
    static <I extends ModelInput> Features<I> of(ModelType<I> type, FittedPipeline pipeline) {
        if (pipeline == null) {
            return type::example;
        }
        return (input, label) -> pipeline.example(type.raw(input), label);
    }
}
