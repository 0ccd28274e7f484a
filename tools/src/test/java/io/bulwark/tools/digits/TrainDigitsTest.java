package io.bulwark.tools.digits;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.bulwark.models.digits.CnnWeights;
import io.bulwark.models.digits.DigitData;
import io.bulwark.models.digits.DigitImage;
import io.bulwark.models.digits.DigitRecogniser;
import io.bulwark.models.digits.OnnxCnn;
import io.bulwark.models.digits.Variant;
import io.bulwark.models.train.Labelled;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code deep} recipe's network from DJL to ONNX: a few real training steps on PyTorch (so the batch
 * normalisations hold running statistics that are not the initial 0 and 1), then the exported fp32 graph in ONNX
 * Runtime must answer as DJL does in inference mode.
 */
class TrainDigitsTest {

    @Test
    void should_export_the_deep_network_with_its_batch_norms_folded_as_djl_computes_it() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        TrainDigits.Settings s = TrainDigits.Settings.defaults().deep(1);
        List<Labelled<DigitImage>> rows = DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED)
                .train().subList(0, 128);
        float[] x = new float[rows.size() * DigitImage.PIXELS];
        float[] y = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).input().ink(), 0, x, i * DigitImage.PIXELS, DigitImage.PIXELS);
            y[i] = Integer.parseInt(rows.get(i).label());
        }
        try (Model model = Model.newInstance("digits-test", Device.cpu(), "PyTorch")) {
            SequentialBlock network = TrainDigits.network(s);
            model.setBlock(network);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build())
                    .optDevices(new Device[]{Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                NDManager manager = trainer.getManager();
                ArrayDataset data = new ArrayDataset.Builder()
                        .setData(manager.create(x, new Shape(rows.size(), 1, 28, 28)))
                        .optLabels(manager.create(y, new Shape(rows.size()))).setSampling(32, false).build();
                for (Batch batch : trainer.iterateDataset(data)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
                int n = 16;
                float[] first = java.util.Arrays.copyOf(x, n * DigitImage.PIXELS);
                NDArray logits = trainer.evaluate(new NDList(manager.create(first, new Shape(n, 1, 28, 28))))
                        .singletonOrThrow();
                float[] expected = logits.softmax(1).toFloatArray();

                CnnWeights weights = TrainDigits.weights(network, s);
                assertThat(weights.blocks()).containsExactly(2, 2);
                assertThat(weights.tensors().get("conv1.weight").shape()).containsExactly(16, 1, 3, 3);
                assertThat(weights.tensors().get("conv3.weight").shape()).containsExactly(32, 16, 3, 3);
                // The folded bias is not the convolution's own: the normalisation went into it.
                float[] ownBias = network.getChildren().get(0).getValue().getDirectParameters().get("bias").getArray()
                        .toFloatArray();
                assertThat(weights.tensors().get("conv1.bias").values()).isNotEqualTo(ownBias);

                try (DigitRecogniser served = DigitRecogniser.load("test",
                        Map.of(Variant.FP32, OnnxCnn.write(weights, Variant.FP32, "TrainDigitsTest")))) {
                    float[][] p = served.probabilities(rows.subList(0, n).stream().map(Labelled::input).toList(),
                            Variant.FP32);
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < 10; k++) {
                            assertThat(p[i][k]).as("digit %d, class %d", i, k).isCloseTo(expected[i * 10 + k],
                                    within(1e-4f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void should_draw_a_smooth_bounded_elastic_field_that_the_seed_repeats() {
        float[][] a = TrainDigits.elasticField(new Random(3), 34f, 4f);
        float[][] b = TrainDigits.elasticField(new Random(3), 34f, 4f);
        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[1]).containsExactly(b[1]);
        double largest = 0, step = 0;
        for (int axis = 0; axis < 2; axis++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    largest = Math.max(largest, Math.abs(a[axis][r * 28 + c]));
                    if (c > 0) {
                        step = Math.max(step, Math.abs(a[axis][r * 28 + c] - a[axis][r * 28 + c - 1]));
                    }
                }
            }
        }
        assertThat(largest).isGreaterThan(0.1).isLessThanOrEqualTo(34);
        // Smoothed by a Gaussian of 4 px: neighbours move together, far less than the field's reach.
        assertThat(step).isLessThan(largest / 2);
    }
}
