package io.bulwark.models;

import io.bulwark.models.drift.FeatureValues;
import io.bulwark.models.pipeline.Pipeline;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metric;
import io.bulwark.models.train.TrainingData;
import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import tools.jackson.databind.JsonNode;
import org.tribuo.classification.LabelFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of model Bulwark serves, e.g. a species classifier or a digit recogniser: what a request row must hold,
 * how a valid input becomes features, the algorithms that learn it, the data they learn from, and the figures
 * that rank its versions.
 *
 * <p>Everything else is shared: the {@link io.bulwark.models.registry.ModelRegistry registry} (versions,
 * promotion, rollback), the {@link ClassifierService service} (version selection, cached prediction, training
 * and the promotion rule), the {@link io.bulwark.models.train.ModelTrainer trainer} (seeded split, held-out
 * metrics, provenance), the {@link io.bulwark.models.input.RowReader readers} (JSON, CSV, XML rows) and the
 * prediction log. A new kind of model is a new implementation of this interface.
 *
 * @param <I> the validated input
 */
public interface ModelType<I extends ModelInput> {

    /**
     * Returns the model's name where protocols name it (the Open Inference Protocol's {@code /v2/models/{name}}):
     * lower case, no slash. By default the class's simple name less {@code ModelType}, lower-cased
     * ({@code DigitModelType} → {@code digit}); a type with a better name says it.
     */
    default String name() {
        String simple = getClass().getSimpleName();
        return (simple.endsWith("ModelType") && simple.length() > "ModelType".length()
                ? simple.substring(0, simple.length() - "ModelType".length()) : simple).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Returns the fields a row holds, in the order clients should list them, for the protocols that publish a schema
     * (see {@link InputField}). By default none is described: such a type is still served (every input tensor
     * becomes the row field of its name, and {@link #input} checks the row), but its published metadata lists no
     * inputs. {@link #input} remains the one check of a row.
     */
    default List<InputField> fields() {
        return List.of();
    }

    /**
     * Returns the input one row describes, or throws the {@link RequestRejected} (400) that names the first field
     * at fault. A row maps field names to a {@code JsonNode} (JSON bodies) or a {@code String} (CSV and XML
     * bodies, where numbers are text); fields the type does not know are ignored.
     */
    I input(Map<String, ?> row);

    /**
     * Returns the input as a Tribuo example: {@code label} is the known label for training and evaluation,
     * {@code LabelFactory.UNKNOWN_LABEL} for prediction.
     */
    Example<Label> example(I input, Label label);

    /** Returns the algorithms a version can be trained with; the first, with its defaults, trains {@code v1}. */
    List<Algorithm> algorithms();

    /**
     * Returns the name of the field that holds a row's known label in labelled data (a dataset upload, the rows of
     * {@code /evaluate}); e.g. {@code species}.
     */
    default String labelField() {
        return "label";
    }

    /**
     * Returns the labelled row a row of labelled data describes: its input ({@link #input}) and the text of its
     * {@link #labelField()} (a string, or a number as written). Throws the {@link RequestRejected} (400) naming the
     * first field at fault: the label missing, empty or of another JSON type, or the input's own refusal.
     */
    default Labelled<I> labelled(Map<String, ?> row) {
        String field = labelField();
        Object value = row.get(field);
        if (value == null || value instanceof JsonNode n && (n.isNull() || n.isMissingNode())) {
            throw new RequestRejected("missing_field", field, "\"" + field + "\" (the known label) is required");
        }
        String label;
        if (value instanceof JsonNode n) {
            if (!n.isString() && !n.isNumber()) {
                throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a string");
            }
            label = n.isString() ? n.stringValue() : n.asString();
        } else {
            label = value.toString();
        }
        if (label.isBlank()) {
            throw new RequestRejected("empty_field", field, "\"" + field + "\" must not be empty");
        }
        return new Labelled<>(input(row), label.strip());
    }

    /**
     * Returns the class-path directory (ending in {@code /}) of a {@code v1} trained with {@link
     * io.bulwark.models.train.TrainingSpec#defaults} and shipped with the code, which an empty registry gets instead
     * of training at start-up (when its recorded seeds, split and data hash are those the training would use); null
     * when none ships. By default none.
     */
    default String shippedVersion() {
        return null;
    }

    /** Returns the labelled data every version is trained and measured on. */
    TrainingData<I> data();

    /**
     * Returns the held-out figures a new version can be promoted on (higher is better); the first decides unless
     * the settings name another.
     */
    List<Metric> metrics();

    /**
     * Returns the features drift watches for an input: a {@code Double} per number, a {@code String} per category.
     * By default read off {@link #example} ({@link FeatureValues}: {@code name=value} one-hot features are
     * categories), so a new model type gets drift detection without code of its own.
     */
    default Map<String, Object> driftFeatures(I input) {
        return FeatureValues.of(example(input, LabelFactory.UNKNOWN_LABEL));
    }

    /**
     * Returns the preprocessing {@link Pipeline} a version is trained with when {@code /train} names none, fitted on
     * its training rows and saved with it. Empty (the default): the type takes no pipeline and its versions' features
     * are {@link #example}'s. A type that returns one also describes its rows by {@link #raw}.
     */
    default Optional<Pipeline> defaultPipeline() {
        return Optional.empty();
    }

    /**
     * Returns the raw row a {@link Pipeline} reads for an input: each of {@link #pipelineFields()} → a {@code Double},
     * a {@code String}, or null when the value is missing. Only called for a type with a {@link #defaultPipeline()}.
     */
    default Map<String, Object> raw(I input) {
        throw new UnsupportedOperationException(name() + " takes no preprocessing pipeline");
    }

    /** Returns what each field of a {@link #raw} row is (number or text): by default the one-value {@link #fields()}. */
    default Map<String, InputField.Kind> pipelineFields() {
        Map<String, InputField.Kind> kinds = new LinkedHashMap<>();
        fields().stream().filter(InputField::scalar).forEach(f -> kinds.put(f.name(), f.kind()));
        return kinds;
    }
}
