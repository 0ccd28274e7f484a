package io.bulwark.models.digits;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The digit network's ONNX export against a plain-Java forward pass of the same weights: v1's layout (one
 * convolution per block) and v2's (two per block, batch normalisation folded in), in every variant through
 * ONNX Runtime.
 */
class OnnxCnnTest {

    static final Random RANDOM = new Random(11);

    static CnnWeights.Tensor random(double scale, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (RANDOM.nextGaussian() * scale);
        }
        return new CnnWeights.Tensor(shape, v);
    }

    /** Random weights of a network with {@code blocks}, 3 then 4 filters, 5 hidden units. */
    static CnnWeights weights(List<Integer> blocks) {
        Map<String, CnnWeights.Tensor> t = new LinkedHashMap<>();
        int in = 1, conv = 0;
        for (int b = 0; b < blocks.size(); b++) {
            int filters = 3 + b;
            for (int i = 0; i < blocks.get(b); i++) {
                conv++;
                t.put("conv" + conv + ".weight", random(0.5, filters, in, 3, 3));
                t.put("conv" + conv + ".bias", random(0.1, filters));
                in = filters;
            }
        }
        int side = 28 >> blocks.size();
        t.put("fc1.weight", random(0.3, 5, (long) in * side * side));
        t.put("fc1.bias", random(0.1, 5));
        t.put("fc2.weight", random(0.5, 10, 5));
        t.put("fc2.bias", random(0.1, 10));
        return new CnnWeights(blocks, t);
    }

    static List<DigitImage> digits(int n) {
        List<DigitImage> images = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] ink = new float[DigitImage.PIXELS];
            for (int i = 0; i < ink.length; i++) {
                ink[i] = RANDOM.nextFloat() < 0.2f ? RANDOM.nextFloat() : 0f;
            }
            images.add(DigitImage.of(ink));
        }
        return images;
    }

    // --- the reference: the network computed in plain Java, channels × rows × columns ---

    static float[] conv(float[] x, int in, int side, CnnWeights.Tensor w, CnnWeights.Tensor b) {
        int out = (int) w.shape()[0];
        float[] y = new float[out * side * side];
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double s = b.values()[o];
                    for (int i = 0; i < in; i++) {
                        for (int kr = 0; kr < 3; kr++) {
                            for (int kc = 0; kc < 3; kc++) {
                                int rr = r + kr - 1, cc = c + kc - 1;
                                if (rr >= 0 && rr < side && cc >= 0 && cc < side) {
                                    s += w.values()[((o * in + i) * 3 + kr) * 3 + kc] * x[(i * side + rr) * side + cc];
                                }
                            }
                        }
                    }
                    y[(o * side + r) * side + c] = (float) s;
                }
            }
        }
        return y;
    }

    static float[] relu(float[] x) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, y[i]);
        }
        return y;
    }

    static float[] pool(float[] x, int channels, int side) {
        int half = side / 2;
        float[] y = new float[channels * half * half];
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < half; r++) {
                for (int c = 0; c < half; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int dr = 0; dr < 2; dr++) {
                        for (int dc = 0; dc < 2; dc++) {
                            m = Math.max(m, x[(ch * side + 2 * r + dr) * side + 2 * c + dc]);
                        }
                    }
                    y[(ch * half + r) * half + c] = m;
                }
            }
        }
        return y;
    }

    static float[] dense(float[] x, CnnWeights.Tensor w, CnnWeights.Tensor b) {
        int out = (int) w.shape()[0], in = (int) w.shape()[1];
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = b.values()[o];
            for (int i = 0; i < in; i++) {
                s += w.values()[o * in + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    static float[] reference(CnnWeights weights, DigitImage image) {
        Map<String, CnnWeights.Tensor> t = weights.tensors();
        float[] x = image.ink();
        int channels = 1, side = 28, conv = 0;
        for (int block : weights.blocks()) {
            for (int i = 0; i < block; i++) {
                conv++;
                CnnWeights.Tensor w = t.get("conv" + conv + ".weight");
                x = relu(conv(x, channels, side, w, t.get("conv" + conv + ".bias")));
                channels = (int) w.shape()[0];
            }
            x = pool(x, channels, side);
            side /= 2;
        }
        float[] logits = dense(relu(dense(x, t.get("fc1.weight"), t.get("fc1.bias"))), t.get("fc2.weight"),
                t.get("fc2.bias"));
        double max = Float.NEGATIVE_INFINITY, sum = 0;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        float[] p = new float[10];
        for (int k = 0; k < 10; k++) {
            p[k] = (float) Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < 10; k++) {
            p[k] /= (float) sum;
        }
        return p;
    }

    static Map<Variant, byte[]> graphs(CnnWeights weights) {
        Map<Variant, byte[]> graphs = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            graphs.put(v, OnnxCnn.write(weights, v, "OnnxCnnTest"));
        }
        return graphs;
    }

    void assertServedAsTheReference(CnnWeights weights) {
        List<DigitImage> images = digits(6);
        try (DigitRecogniser recogniser = DigitRecogniser.load("test", graphs(weights))) {
            Map<Variant, Float> tolerance = Map.of(Variant.FP32, 1e-5f, Variant.FP16, 2e-2f, Variant.INT8, 5e-2f);
            for (Variant v : Variant.values()) {
                float[][] served = recogniser.probabilities(images, v);
                for (int n = 0; n < images.size(); n++) {
                    float[] expected = reference(weights, images.get(n));
                    for (int k = 0; k < 10; k++) {
                        assertThat(served[n][k]).as(v + " image " + n + " digit " + k)
                                .isCloseTo(expected[k], org.assertj.core.data.Offset.offset(tolerance.get(v)));
                    }
                }
            }
        }
    }

    @Test
    void should_serve_v1s_layout_as_the_reference_computes_it_in_every_variant() {
        CnnWeights weights = weights(List.of(1, 1));
        assertThat(weights.tensors().keySet()).containsExactlyElementsOf(CnnWeights.NAMES);
        assertServedAsTheReference(weights);
    }

    @Test
    void should_serve_two_convolutions_per_block_as_the_reference_computes_them_in_every_variant() {
        CnnWeights weights = weights(List.of(2, 2));
        assertThat(weights.convolutions()).isEqualTo(4);
        assertServedAsTheReference(weights);
        // The int8 graph stores every convolution and dense kernel as int8 (and the fp16 graph as half precision).
        Map<Variant, byte[]> graphs = graphs(weights);
        for (Variant v : List.of(Variant.INT8, Variant.FP16)) {
            ai.onnx.proto.OnnxMl.GraphProto graph = parse(graphs.get(v));
            for (String name : weights.tensors().keySet()) {
                if (v == Variant.INT8 && name.endsWith(".bias")) {
                    continue;
                }
                String stored = name + (v == Variant.INT8 ? ".int8" : ".fp16");
                assertThat(graph.getInitializerList()).as(v + " " + name)
                        .anySatisfy(i -> {
                            assertThat(i.getName()).isEqualTo(stored);
                            assertThat(i.getDataType()).isEqualTo(v == Variant.INT8
                                    ? ai.onnx.proto.OnnxMl.TensorProto.DataType.INT8_VALUE
                                    : ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT16_VALUE);
                        });
            }
        }
        assertThat(parse(graphs.get(Variant.FP32)).getNodeList().stream().filter(n -> n.getOpType().equals("Conv")))
                .hasSize(4);
        assertThat(parse(graphs.get(Variant.FP32)).getNodeList().stream()
                .filter(n -> n.getOpType().equals("MaxPool"))).hasSize(2);
    }

    static ai.onnx.proto.OnnxMl.GraphProto parse(byte[] model) {
        try {
            return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(model).getGraph();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void should_fold_a_batch_normalisation_into_the_convolution_before_it() {
        CnnWeights.Tensor w = random(0.5, 3, 1, 3, 3);
        CnnWeights.Tensor b = random(0.1, 3);
        float[] gamma = {1.5f, 0.5f, -0.8f};
        float[] beta = {0.1f, -0.2f, 0.3f};
        float[] mean = {0.05f, -0.4f, 0.2f};
        float[] variance = {0.9f, 2.0f, 0.01f};
        float epsilon = 1e-5f;
        CnnWeights.Conv folded = CnnWeights.foldBatchNorm(w, b, gamma, beta, mean, variance, epsilon);

        float[] x = digits(1).getFirst().ink();
        float[] conv = conv(x, 1, 28, w, b);
        float[] foldedConv = conv(x, 1, 28, folded.weight(), folded.bias());
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < 28 * 28; i++) {
                int at = ch * 28 * 28 + i;
                double normalised = (conv[at] - mean[ch]) / Math.sqrt(variance[ch] + epsilon) * gamma[ch] + beta[ch];
                assertThat((double) foldedConv[at]).isCloseTo(normalised, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
        // A convolution without a bias folds as one with a zero bias.
        CnnWeights.Conv noBias = CnnWeights.foldBatchNorm(w, null, gamma, beta, mean, variance, epsilon);
        assertThat(noBias.bias().values()[0]).isEqualTo((float) ((0 - mean[0]) * (gamma[0]
                / Math.sqrt(variance[0] + (double) epsilon)) + beta[0]));
        assertThatThrownBy(() -> CnnWeights.foldBatchNorm(w, b, new float[2], beta, mean, variance, epsilon))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_refuse_weights_that_do_not_match_their_layout() {
        Map<String, CnnWeights.Tensor> v1 = weights(List.of(1, 1)).tensors();
        assertThatThrownBy(() -> new CnnWeights(List.of(2, 2), v1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv3.weight");
        assertThatThrownBy(() -> new CnnWeights(List.of(0, 1), v1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CnnWeights.names(List.of(2, 1))).startsWith("conv1.weight", "conv1.bias", "conv2.weight")
                .contains("conv3.bias").endsWith("fc2.bias").hasSize(10);
    }
}
