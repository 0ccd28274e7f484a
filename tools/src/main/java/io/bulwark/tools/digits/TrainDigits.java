package io.bulwark.tools.digits;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.bulwark.models.digits.CnnWeights;
import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitModelType;
import io.bulwark.models.digits.DigitRecogniser;
import io.bulwark.models.digits.DigitVersions;
import io.bulwark.models.digits.ImageLimits;
import io.bulwark.models.digits.OnnxCnn;
import io.bulwark.models.digits.Variant;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.Split;
import io.bulwark.models.train.TrainingData;
import io.bulwark.models.train.VersionMetadata;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the digit network with DJL on the PyTorch engine (libtorch from the {@code pytorch-native-cpu} jar on the
 * class path: nothing is downloaded), measures it on the shared 2,000 held-out digits, exports its weights as ONNX
 * graphs in every {@link Variant} and writes them as a new version of a digit registry.
 *
 * <p>Usage: {@code TrainDigits REGISTRY_DIR [epochs] [seed] [augmented|decayed|shifted] [wide]} ({@code shifted}: the
 * defaults' whole-pixel shifts; {@code wide}: conv 64/128, dense 256); see the README ("Digits") for the command.
 */
public final class TrainDigits {

    static final String DJL = "0.36.0";
    static final String PYTORCH = "2.7.1";
    static final String ONNX_RUNTIME = "1.20.0";

    private TrainDigits() {
    }

    /** The hyperparameters of a run; the defaults train the shipped version. */
    record Settings(int epochs, int batchSize, float learningRate, int conv1, int conv2, int hidden, int seed,
                    int shift, int rotateDegrees, float scale, float dropout, float decayPerEpoch) {
        /** The shipped v1's: whole-pixel shifts only, a fixed rate, no dropout (held-out fp32 accuracy 0.9820). */
        static Settings defaults() {
            return new Settings(12, 64, 1e-3f, 32, 64, 128, 4, 2, 0, 0f, 0f, 1f);
        }

        /**
         * Tried for the 0.985 goal: rotations of up to 12°, scaling by up to 10 %, sub-pixel shifts, dropout 0.4 and
         * the rate × 0.8 per epoch, 15 epochs; it measured 0.9810 (BENCHMARKS.md, "Digits"), so it is not the default.
         */
        /** The shipped v1's whole-pixel shifts with the rate × 0.85 per epoch. */
        Settings decayed(int epochs) {
            return new Settings(epochs, batchSize, learningRate, conv1, conv2, hidden, seed, shift, 0, 0f, 0f, 0.85f);
        }

        Settings augmented(int epochs) {
            return new Settings(epochs, batchSize, learningRate, conv1, conv2, hidden, seed, shift, 12, 0.1f, 0.4f,
                    0.8f);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch_size", batchSize);
            m.put("learning_rate", Double.parseDouble(Float.toString(learningRate)));
            m.put("conv1_filters", conv1);
            m.put("conv2_filters", conv2);
            m.put("hidden_units", hidden);
            m.put("max_shift_px", shift);
            if (rotateDegrees == 0 && scale == 0 && dropout == 0 && decayPerEpoch == 1f) {
                return m; // the shipped v1's settings, recorded as they were
            }
            if (rotateDegrees == 0 && scale == 0 && dropout == 0) {
                m.put("learning_rate_decay_per_epoch", Double.parseDouble(Float.toString(decayPerEpoch)));
                return m;
            }
            m.put("max_rotation_degrees", rotateDegrees);
            m.put("max_scale_change", Double.parseDouble(Float.toString(scale)));
            m.put("dropout", Double.parseDouble(Float.toString(dropout)));
            m.put("learning_rate_decay_per_epoch", Double.parseDouble(Float.toString(decayPerEpoch)));
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TrainDigits REGISTRY_DIR [epochs] [seed] [augmented|decayed|shifted [wide]]");
            System.exit(2);
        }
        System.setProperty("ai.djl.offline", "true");
        Settings d = Settings.defaults();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : d.epochs();
        Settings s = new Settings(epochs, d.batchSize(), d.learningRate(), d.conv1(), d.conv2(), d.hidden(),
                args.length > 2 ? Integer.parseInt(args[2]) : d.seed(), d.shift(), d.rotateDegrees(), d.scale(),
                d.dropout(), d.decayPerEpoch());
        if (args.length > 3 && args[3].equals("augmented")) {
            s = s.augmented(epochs);
        } else if (args.length > 3 && args[3].equals("decayed")) {
            s = s.decayed(epochs);
        }
        if (args.length > 4 && args[4].equals("wide")) {
            s = new Settings(s.epochs(), s.batchSize(), s.learningRate(), 64, 128, 256, s.seed(), s.shift(),
                    s.rotateDegrees(), s.scale(), s.dropout(), s.decayPerEpoch());
        }
        JsonMapper json = JsonMapper.builder().build();
        DigitVersions versions = new DigitVersions(new ModelRegistry(Path.of(args[0]), json), json);
        String version = train(s, versions, System.out);
        System.out.println("wrote " + version + " into " + versions.registry().location());
    }

    /** Trains, measures and saves a version; returns its name. */
    static String train(Settings s, DigitVersions versions, java.io.PrintStream out) {
        long start = System.nanoTime();
        TrainingData<DigitImage> data = DigitModelType.bundled(ImageLimits.defaults()).data();
        Split<DigitImage> split = data.split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED);
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(s.seed());
        out.printf(Locale.ROOT, "DJL %s, engine %s %s; %d training, %d held-out digits%n", Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), split.train().size(), split.test().size());

        CnnWeights weights;
        try (Model model = Model.newInstance("digits", Device.cpu(), "PyTorch")) {
            model.setBlock(network(s));
            int stepsPerEpoch = (split.train().size() + s.batchSize() - 1) / s.batchSize();
            // Adam's rate multiplied by decay_per_epoch over each epoch's steps (DJL's FactorTracker counts steps);
            // decay 1 is the fixed rate the shipped v1 was trained with.
            Tracker rate = s.decayPerEpoch() == 1f ? Tracker.fixed(s.learningRate())
                    : Tracker.factor().setBaseValue(s.learningRate())
                    .setFactor((float) Math.pow(s.decayPerEpoch(), 1.0 / stepsPerEpoch)).optMinValue(1e-5f).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).build())
                    .optDevices(new Device[]{Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                NDManager manager = trainer.getManager();
                java.util.Random augmentation = new java.util.Random(s.seed());
                for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                    // A fresh random shift (and, augmented, rotation and scaling) of every digit each epoch after the
                    // first: MNIST's centring is rounded to whole pixels, and 8,000 digits are few for this network.
                    ArrayDataset dataset = dataset(manager, split.train(), augmentation, epoch == 1 ? null : s,
                            s.batchSize());
                    int batches = 0;
                    for (Batch batch : trainer.iterateDataset(dataset)) {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                        batch.close();
                        batches++;
                    }
                    out.printf(Locale.ROOT, "epoch %d/%d done (%d batches, %.1f s)%n", epoch, s.epochs(), batches,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            weights = weights(model);
        } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
        long trainingMs = (System.nanoTime() - start) / 1_000_000;

        Map<Variant, byte[]> graphs = new EnumMap<>(Variant.class);
        Map<Variant, Metrics> metrics = new EnumMap<>(Variant.class);
        String producer = "bulwark TrainDigits (DJL " + DJL + ", PyTorch " + PYTORCH + ")";
        for (Variant v : Variant.values()) {
            graphs.put(v, OnnxCnn.write(weights, v, producer));
        }
        try (DigitRecogniser recogniser = DigitRecogniser.load("candidate", graphs)) {
            List<DigitImage> images = split.test().stream().map(Labelled::input).toList();
            List<String> actual = split.test().stream().map(Labelled::label).toList();
            for (Variant v : Variant.values()) {
                float[][] p = recogniser.probabilities(images, v);
                List<String> predicted = new ArrayList<>();
                for (float[] row : p) {
                    predicted.add(Integer.toString(DigitRecogniser.argmax(row)));
                }
                metrics.put(v, Metrics.of(actual, predicted));
                out.printf(Locale.ROOT, "%s: held-out accuracy %.4f, macro-F1 %.4f, %d bytes%n", v.wire(),
                        metrics.get(v).accuracy(), metrics.get(v).macroF1(), graphs.get(v).length);
            }
        }
        VersionMetadata.Provenance provenance = new VersionMetadata.Provenance(Instant.now(), data.source(),
                data.sha256(), s.seed(), split.seed(), split.testFraction(), "djl " + DJL + " (pytorch " + PYTORCH
                + ", cpu); served by onnxruntime " + ONNX_RUNTIME, Runtime.version().toString(), trainingMs);
        Map<String, Object> hyper = s.asMap();
        hyper.put("parameters", weights.parameters());
        VersionMetadata metadata = new VersionMetadata("cnn", hyper, metrics.get(Variant.FP32), provenance,
                data.summary(split), null);
        return versions.save(metadata, graphs, metrics);
    }

    /** conv 3×3 → relu → pool 2 → conv 3×3 → relu → pool 2 → flatten → dense → relu → (dropout) → dense (logits). */
    static SequentialBlock network(Settings s) {
        SequentialBlock block = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(s.conv1())
                        .build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(s.conv2())
                        .build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(s.hidden()).build())
                .add(Activation::relu);
        if (s.dropout() > 0) {
            block.add(ai.djl.nn.norm.Dropout.builder().optRate(s.dropout()).build()); // training only; not in ONNX
        }
        return block.add(Linear.builder().setUnits(10).build());
    }

    private static ArrayDataset dataset(NDManager manager, List<Labelled<DigitImage>> rows, java.util.Random random,
                                        Settings augment, int batchSize) {
        float[] x = new float[rows.size() * DigitImage.PIXELS];
        float[] y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            float[] ink = rows.get(i).input().ink();
            if (augment == null) {
                System.arraycopy(ink, 0, x, i * DigitImage.PIXELS, DigitImage.PIXELS);
            } else if (augment.rotateDegrees() == 0 && augment.scale() == 0) {
                int dx = random.nextInt(2 * augment.shift() + 1) - augment.shift();
                int dy = random.nextInt(2 * augment.shift() + 1) - augment.shift();
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        int sr = r - dy, sc = c - dx;
                        x[i * DigitImage.PIXELS + r * 28 + c] = sr >= 0 && sr < 28 && sc >= 0 && sc < 28
                                ? ink[sr * 28 + sc] : 0;
                    }
                }
            } else {
                double angle = Math.toRadians((random.nextDouble() * 2 - 1) * augment.rotateDegrees());
                double scale = 1 + (random.nextDouble() * 2 - 1) * augment.scale();
                double dx = (random.nextDouble() * 2 - 1) * augment.shift();
                double dy = (random.nextDouble() * 2 - 1) * augment.shift();
                affine(ink, x, i * DigitImage.PIXELS, angle, scale, dx, dy);
            }
            y[i] = Integer.parseInt(rows.get(i).label());
        }
        NDArray features = manager.create(x, new Shape(rows.size(), 1, 28, 28));
        NDArray labels = manager.create(y, new Shape(rows.size()));
        return new ArrayDataset.Builder().setData(features).optLabels(labels).setSampling(batchSize, true).build();
    }

    /**
     * Writes {@code ink} rotated by {@code angle}, scaled by {@code scale} about the field's centre and moved by
     * ({@code dx}, {@code dy}) pixels into {@code out} at {@code offset}, sampling bilinearly (outside is background).
     */
    static void affine(float[] ink, float[] out, int offset, double angle, double scale, double dx, double dy) {
        double cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale, c = 13.5;
        for (int r = 0; r < 28; r++) {
            for (int col = 0; col < 28; col++) {
                double u = col - c - dx, v = r - c - dy;
                double sx = cos * u + sin * v + c, sy = -sin * u + cos * v + c;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                double value = (1 - fx) * (1 - fy) * at(ink, x0, y0) + fx * (1 - fy) * at(ink, x0 + 1, y0)
                        + (1 - fx) * fy * at(ink, x0, y0 + 1) + fx * fy * at(ink, x0 + 1, y0 + 1);
                out[offset + r * 28 + col] = (float) value;
            }
        }
    }

    private static float at(float[] ink, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : ink[y * 28 + x];
    }

    /** The trained parameters in graph order (blocks without parameters contribute none). */
    private static CnnWeights weights(Model model) {
        List<Pair<String, Parameter>> parameters = model.getBlock().getParameters().stream().toList();
        if (parameters.size() != CnnWeights.NAMES.size()) {
            throw new IllegalStateException("expected " + CnnWeights.NAMES.size() + " parameters, got " + parameters);
        }
        Map<String, CnnWeights.Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getValue().getArray();
            tensors.put(CnnWeights.NAMES.get(i), new CnnWeights.Tensor(array.getShape().getShape(),
                    array.toFloatArray()));
        }
        return new CnnWeights(tensors);
    }
}
