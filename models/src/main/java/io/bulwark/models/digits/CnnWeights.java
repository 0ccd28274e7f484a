package io.bulwark.models.digits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained parameters of the digit network, whatever library trained it: blocks of 3×3 convolutions (each
 * followed by ReLU; each block ends with 2×2 max pooling) and two fully connected layers, with the shapes ONNX and
 * PyTorch share (convolution kernels {@code [out, in, 3, 3]}, linear weights {@code [out, in]}). A batch
 * normalisation the trainer put after a convolution is folded into that convolution's kernel and bias
 * ({@link #foldBatchNorm}), so the served graph and its quantisation do not change with it.
 *
 * @param blocks  convolutions per block, in order: {@code [1, 1]} is v1's conv → pool → conv → pool, {@code [2, 2]}
 *                two convolutions before each pooling; the convolutions are numbered {@code conv1}, {@code conv2}, …
 *                across blocks
 * @param tensors by name: {@link #names(List)} of {@code blocks}, in that order
 */
public record CnnWeights(List<Integer> blocks, Map<String, Tensor> tensors) {

    /** The parameters v1's network (one convolution per block, two blocks) has, in graph order. */
    public static final List<String> NAMES = names(List.of(1, 1));

    /** One parameter: its shape and its values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(Arrays.toString(shape) + " holds " + n + " values, not "
                        + values.length);
            }
            shape = shape.clone();
        }

        /** The size of the first axis: output channels or units. */
        int outputs() {
            return (int) shape[0];
        }
    }

    public CnnWeights {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty() || blocks.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("every block needs at least one convolution: " + blocks);
        }
        List<String> names = names(blocks);
        if (!tensors.keySet().containsAll(names) || tensors.size() != names.size()) {
            throw new IllegalArgumentException("the digit network " + blocks + " has " + names + ", not "
                    + tensors.keySet());
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String n : names) {
            ordered.put(n, tensors.get(n));
        }
        tensors = java.util.Collections.unmodifiableMap(ordered);
    }

    /** v1's layout: one convolution in each of two blocks. */
    public CnnWeights(Map<String, Tensor> tensors) {
        this(List.of(1, 1), tensors);
    }

    /** The parameter names of a network with {@code blocks} convolutions per block, in graph order. */
    public static List<String> names(List<Integer> blocks) {
        List<String> names = new ArrayList<>();
        int convolutions = blocks.stream().mapToInt(Integer::intValue).sum();
        for (int i = 1; i <= convolutions; i++) {
            names.add("conv" + i + ".weight");
            names.add("conv" + i + ".bias");
        }
        names.addAll(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"));
        return List.copyOf(names);
    }

    /** The number of convolutions. */
    public int convolutions() {
        return blocks.stream().mapToInt(Integer::intValue).sum();
    }

    /** The number of trained values. */
    public long parameters() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }

    /** A convolution's kernel and bias. */
    public record Conv(Tensor weight, Tensor bias) {
    }

    /**
     * Folds an inference-mode batch normalisation that follows a convolution into it: per output channel c,
     * {@code k = gamma[c] / sqrt(var[c] + epsilon)}, kernel × k, bias {@code (bias - mean) × k + beta}.
     *
     * @param bias the convolution's bias, or {@code null} when it has none
     */
    public static Conv foldBatchNorm(Tensor weight, Tensor bias, float[] gamma, float[] beta, float[] mean,
                                     float[] variance, float epsilon) {
        int channels = weight.outputs();
        if (gamma.length != channels || beta.length != channels || mean.length != channels
                || variance.length != channels || (bias != null && bias.values().length != channels)) {
            throw new IllegalArgumentException("batch normalisation of " + gamma.length + " channels after a "
                    + "convolution of " + channels);
        }
        int per = weight.values().length / channels;
        float[] w = new float[weight.values().length];
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            double k = gamma[c] / Math.sqrt(variance[c] + (double) epsilon);
            for (int i = c * per; i < (c + 1) * per; i++) {
                w[i] = (float) (weight.values()[i] * k);
            }
            double b0 = bias == null ? 0 : bias.values()[c];
            b[c] = (float) ((b0 - mean[c]) * k + beta[c]);
        }
        return new Conv(new Tensor(weight.shape(), w), new Tensor(new long[]{channels}, b));
    }
}
