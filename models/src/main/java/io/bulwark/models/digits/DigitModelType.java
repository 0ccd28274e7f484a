package io.bulwark.models.digits;

import io.bulwark.models.InputField;
import io.bulwark.models.ModelType;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import io.bulwark.models.train.Metric;
import io.bulwark.models.train.TrainingData;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handwritten-digit recogniser as a {@link ModelType}: a JSON row with a base64 PNG/JPEG ({@code image}) or
 * 28×28 grey levels ({@code pixels}) → the digit "0" … "9", learnt from the bundled MNIST sample ({@link DigitData})
 * after the same {@link MnistPreprocessor} a served image goes through.
 *
 * <p>In process it offers multinomial logistic regression on the 784 levels (about 0.9 held-out accuracy, a baseline
 * trained in seconds). The served model is a small convolutional network trained outside the deployable jar
 * ({@code bulwark-tools train-digits}, DJL + PyTorch) and served by ONNX Runtime ({@link DigitRecogniser}); it is
 * measured on the same split with the same {@link Metric metrics}.
 */
public final class DigitModelType implements ModelType<DigitImage> {

    /** Logistic regression on the 784 levels, by SGD with AdaGrad. */
    public static final Algorithm LOGISTIC_REGRESSION = new Algorithm("logistic_regression", List.of(
            Hyperparameter.integer("epochs", 5, 1, 100),
            Hyperparameter.real("learning_rate", 0.1, 1e-6, 10),
            Hyperparameter.integer("minibatch_size", 16, 1, 1000)),
            (h, seed) -> new LinearSGDTrainer(new LogMulticlass(),
                    new AdaGrad(((Number) h.get("learning_rate")).doubleValue()), (Integer) h.get("epochs"),
                    Integer.MAX_VALUE, (Integer) h.get("minibatch_size"), seed));

    private static final List<Metric> METRICS = List.of(Metric.ACCURACY, Metric.MACRO_F1);
    private static final String[] FEATURES = features();

    private final Supplier<DigitData> data;
    private final ImageLimits limits;
    private volatile DigitData loaded;

    private DigitModelType(Supplier<DigitData> data, ImageLimits limits) {
        this.data = data;
        this.limits = limits;
    }

    /** Returns the type over the bundled data (read on first use), with these limits on uploaded images. */
    public static DigitModelType bundled(ImageLimits limits) {
        return new DigitModelType(DigitData::bundled, limits);
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Served as {@code digits} (the Open Inference Protocol's model name). */
    @Override
    public String name() {
        return "digits";
    }

    /**
     * One input the Open Inference Protocol publishes: {@code pixels}, 28×28 grey levels 0–255 as a {@code [N, 28, 28]}
     * or {@code [N, 784]} tensor (a base64 {@code image} is for {@code /digits}, not a tensor).
     */
    @Override
    public List<InputField> fields() {
        return List.of(InputField.numbers("pixels", List.of(28, 28), List.of(784)));
    }

    /** Reads {@code image} (base64 PNG/JPEG) or {@code pixels} (with {@code pixel_range}); see {@link DigitInputs}. */
    @Override
    public DigitImage input(Map<String, ?> row) {
        return DigitInputs.row(row, limits);
    }

    /** Reads a raw PNG or JPEG body; {@code field} names it in refusals (e.g. {@code body}). */
    public DigitImage image(byte[] bytes, String field) {
        return DigitInputs.image(bytes, field, limits);
    }

    /** The 784 levels as features {@code p000} … {@code p783}, zeros left out (Tribuo examples are sparse). */
    @Override
    public Example<Label> example(DigitImage input, Label label) {
        float[] ink = input.ink();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < ink.length; i++) {
            if (ink[i] != 0) {
                names.add(FEATURES[i]);
                values.add((double) ink[i]);
            }
        }
        return new ArrayExample<>(label, names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The figures of the input as it came, before centring took position and size away ({@link DigitImage.InputShape}:
     * ink ratio, mean intensity, bounding-box size and position), not the 784 levels: a pixel's own drift says little,
     * and 784 tests would need a Bonferroni threshold no real shift crosses.
     */
    @Override
    public Map<String, Object> driftFeatures(DigitImage input) {
        return input.input().features();
    }

    @Override
    public List<Algorithm> algorithms() {
        return List.of(LOGISTIC_REGRESSION);
    }

    @Override
    public TrainingData<DigitImage> data() {
        DigitData d = loaded;
        if (d == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = data.get();
                }
                d = loaded;
            }
        }
        return d;
    }

    @Override
    public List<Metric> metrics() {
        return METRICS;
    }

    private static String[] features() {
        String[] names = new String[DigitImage.PIXELS];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format("p%03d", i);
        }
        return names;
    }
}
