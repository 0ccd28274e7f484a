package io.bulwark.models.digits;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained parameters of the digit network, whatever library trained it: two 3×3 convolutions (each followed
 * by ReLU and 2×2 max pooling) and two fully connected layers, with the shapes ONNX and PyTorch share
 * (convolution kernels {@code [out, in, 3, 3]}, linear weights {@code [out, in]}).
 *
 * @param tensors by name: {@link #NAMES}, in that order
 */
public record CnnWeights(Map<String, Tensor> tensors) {

    /** The parameters the network has, in graph order. */
    public static final List<String> NAMES = List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

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
        if (!tensors.keySet().containsAll(NAMES) || tensors.size() != NAMES.size()) {
            throw new IllegalArgumentException("the digit network has " + NAMES + ", not " + tensors.keySet());
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String n : NAMES) {
            ordered.put(n, tensors.get(n));
        }
        tensors = java.util.Collections.unmodifiableMap(ordered);
    }

    /** The number of trained values. */
    public long parameters() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }
}
